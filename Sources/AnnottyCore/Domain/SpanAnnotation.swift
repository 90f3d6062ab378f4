/// One person's (or the router's) spans on an item: an effective decision of a `spans` task.
public struct SpanAnnotation: Sendable, Hashable {
    public var decisionId: Int64
    public var itemId: Int64
    public var annotator: String
    public var kind: DecisionKind
    public var spans: [EntitySpan]

    public init(decisionId: Int64, itemId: Int64, annotator: String, kind: DecisionKind, spans: [EntitySpan]) {
        self.decisionId = decisionId
        self.itemId = itemId
        self.annotator = annotator
        self.kind = kind
        self.spans = spans
    }

    /// The decision's `label` for a span set: its spans' offsets and types in order, e.g.
    /// `spans:0-5:PER,10-15:LOC` (`spans:` when none). Two annotators' labels are equal exactly
    /// when they marked the same set, so the queue's overlap and agreement logic, which compares
    /// labels, works for spans unchanged.
    public static func label(for spans: [EntitySpan]) -> String {
        "spans:" + Set(spans.map(\.key)).sorted().map { "\($0.start)-\($0.end):\($0.type)" }.joined(separator: ",")
    }
}
