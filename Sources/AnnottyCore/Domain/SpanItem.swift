/// An item of a `spans` task: its text, its tokens (offsets into the text) and its entity spans.
///
/// Tokens are kept with the item because formats that count tokens (CoNLL, HF token
/// classification, the span learner) must agree with formats that count characters; every span
/// starts at a token's start and ends at a token's end (`SpanItem.validated`).
public struct SpanItem: Sendable, Hashable {
    public var id: String
    public var text: String
    public var tokens: [TextToken]
    public var spans: [EntitySpan]
    /// The document the item came from (CoNLL's `-DOCSTART-` blocks), where the source has them.
    public var document: Int?

    public init(id: String, text: String, tokens: [TextToken], spans: [EntitySpan], document: Int? = nil) {
        self.id = id
        self.text = text
        self.tokens = tokens
        self.spans = spans
        self.document = document
    }

    /// An item from text alone: tokenized with `WordTokenizer`, cut also at the spans' edges so
    /// that every span covers whole tokens.
    public init(id: String, text: String, spans: [EntitySpan], document: Int? = nil) {
        let boundaries = Set(spans.flatMap { [$0.start, $0.end] })
        self.init(id: id, text: text, tokens: WordTokenizer.tokenize(text, cuttingAt: boundaries),
                  spans: spans, document: document)
    }

    /// Span keys, sorted: the set exact-match scoring compares.
    public var spanKeys: [SpanKey] { spans.map(\.key).sorted() }

    /// Each span's first and last token index (inclusive), in span order; nil for a span whose
    /// edges do not fall on token edges.
    public func tokenRanges() -> [ClosedRange<Int>?] {
        var tokenStarting: [Int: Int] = [:]
        var tokenEnding: [Int: Int] = [:]
        for (index, token) in tokens.enumerated() {
            tokenStarting[token.start] = index
            tokenEnding[token.end] = index
        }
        return spans.map { span in
            guard let first = tokenStarting[span.start], let last = tokenEnding[span.end], first <= last else {
                return nil
            }
            return first...last
        }
    }

    /// Tags per token (`O` outside spans) in a scheme.
    /// - Throws: `SpanError.misaligned` for a span whose edges are not token edges,
    ///   `.overlapping` for spans sharing a token (BIO tags cannot say that).
    public func bioTags(scheme: BIOScheme = .iob2) throws(SpanError) -> [String] {
        var entities: [(tokens: ClosedRange<Int>, type: String)] = []
        var used = Array(repeating: false, count: tokens.count)
        for (span, range) in zip(spans, tokenRanges()) {
            guard let range else { throw SpanError.misaligned(item: id, span: span) }
            if range.contains(where: { used[$0] }) { throw SpanError.overlapping(item: id, span: span) }
            for index in range { used[index] = true }
            entities.append((range, span.type))
        }
        return BIOTagging.tags(count: tokens.count, entities: entities, scheme: scheme)
    }
}

/// A span that a token-based format cannot carry.
public enum SpanError: Error, Sendable, Equatable, CustomStringConvertible {
    case misaligned(item: String, span: EntitySpan)
    case overlapping(item: String, span: EntitySpan)
    /// The span's offsets are outside the item's text, or its text is not the text there.
    case offText(item: String, span: EntitySpan)
    /// Spans recorded for an item the store does not have.
    case noSuchItem(item: String)

    public var description: String {
        switch self {
        case .misaligned(let item, let span):
            return "item \(item): span \(span) does not start and end on token edges"
        case .overlapping(let item, let span):
            return "item \(item): span \(span) overlaps another span; BIO tags cannot hold overlapping spans"
        case .offText(let item, let span):
            return "item \(item): span \(span) is not the item's text at those offsets"
        case .noSuchItem(let item):
            return "item \(item) does not exist"
        }
    }
}
