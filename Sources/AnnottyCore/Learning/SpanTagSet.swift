/// The span learner's tags for a task's entity types: `O`, then `B-T` and `I-T` per type in
/// sorted order, and which tag may follow which (an `I-T` only after `B-T` or `I-T`).
public struct SpanTagSet: Sendable, Equatable {
    public let types: [String]
    public let names: [String]

    public init(types: some Sequence<String>) {
        let sorted = Set(types).sorted()
        self.types = sorted
        names = ["O"] + sorted.flatMap { ["B-" + $0, "I-" + $0] }
    }

    public var count: Int { names.count }

    /// The tag index of `B-type` (and `I-type` is one more); nil for a type the set lacks.
    public func beginIndex(of type: String) -> Int? {
        types.firstIndex(of: type).map { 1 + 2 * $0 }
    }

    public func isInside(_ tag: Int) -> Bool { tag > 0 && tag % 2 == 0 }

    /// Whether `next` may follow `previous` (nil: the sentence's start).
    public func allows(_ previous: Int?, _ next: Int) -> Bool {
        guard isInside(next) else { return true }
        guard let previous, previous > 0 else { return false }
        return (previous + 1) / 2 == next / 2
    }

    /// Tag indices for an item's spans over its tokens (IOB2). Spans of types outside the set are
    /// left out, as are spans off token edges or overlapping an earlier one.
    public func tags(of item: SpanItem) -> [Int] {
        var tags = Array(repeating: 0, count: item.tokens.count)
        for (span, range) in zip(item.spans, item.tokenRanges()) {
            guard let range, let begin = beginIndex(of: span.type),
                  !range.contains(where: { tags[$0] != 0 }) else { continue }
            tags[range.lowerBound] = begin
            for index in range.dropFirst() { tags[index] = begin + 1 }
        }
        return tags
    }

    /// Spans of an item from tag indices over its tokens.
    public func spans(_ tags: [Int], in item: SpanItem) -> [EntitySpan] {
        let scalars = ScalarText(item.text)
        var spans: [EntitySpan] = []
        var index = 0
        while index < tags.count {
            let tag = tags[index]
            guard tag != 0 else { index += 1; continue }
            let begin = isInside(tag) ? tag - 1 : tag
            var last = index
            while last + 1 < tags.count, tags[last + 1] == begin + 1 { last += 1 }
            let start = item.tokens[index].start
            let end = item.tokens[last].end
            spans.append(EntitySpan(start: start, end: end, type: types[(begin - 1) / 2],
                                    text: scalars.slice(start, end) ?? ""))
            index = last + 1
        }
        return spans
    }
}
