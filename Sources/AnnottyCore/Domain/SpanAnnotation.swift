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
        "spans:" + Set(spans.map(\.key)).sorted().map(\.text).joined(separator: ",")
    }

    /// The span keys a `label(for:)` text names; nil when it is not one. (Span types are label
    /// names, which a `spans` project keeps free of `,`, `:` and spaces: `ProjectConfig.parse`.)
    public static func keys(inLabel label: String) -> [SpanKey]? {
        guard label.hasPrefix("spans:") else { return nil }
        let body = label.dropFirst("spans:".count)
        if body.isEmpty { return [] }
        var keys: [SpanKey] = []
        for part in body.split(separator: ",", omittingEmptySubsequences: false) {
            guard let key = SpanKey(text: String(part)) else { return nil }
            keys.append(key)
        }
        return keys
    }
}

extension SpanKey {
    /// `start-end:TYPE`, as a span set's label and a span prediction's probabilities name a span.
    public var text: String { "\(start)-\(end):\(type)" }

    /// Reads `start-end:TYPE`; nil for anything else (or an empty or reversed range).
    public init?(text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let range = text[..<colon].split(separator: "-", omittingEmptySubsequences: false)
        let type = String(text[text.index(after: colon)...])
        guard range.count == 2, let start = Int(range[0]), let end = Int(range[1]), start >= 0, start < end,
              !type.isEmpty else { return nil }
        self.init(start: start, end: end, type: type)
    }
}
