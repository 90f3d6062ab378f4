/// Aggregates several annotators' spans on one item: a span is kept when more than half of the
/// item's annotators marked exactly it (same start, end and type). Sorted by offset.
public enum SpanMajority {
    /// - Parameters:
    ///   - annotations: one list per annotator of the item (an empty list counts as an
    ///     annotator who marked nothing).
    ///   - keepingTies: also keep a span exactly half of the annotators marked.
    public static func aggregate(_ annotations: [[EntitySpan]], keepingTies: Bool = false) -> [EntitySpan] {
        let annotatorCount = annotations.count
        var votes: [SpanKey: (span: EntitySpan, count: Int)] = [:]
        for spans in annotations {
            for span in Dictionary(spans.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first }).values {
                votes[span.key, default: (span, 0)].count += 1
            }
        }
        return votes.values
            .filter { 2 * $0.count > annotatorCount || (keepingTies && 2 * $0.count == annotatorCount) }
            .map(\.span)
            .sorted { $0.key < $1.key }
    }
}
