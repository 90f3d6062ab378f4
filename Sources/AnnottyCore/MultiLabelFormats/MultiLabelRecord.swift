/// One item with the set of labels it was given, as the multi-label formats carry it. `labels` keeps
/// the order written; readers and writers treat it as a set (duplicates are refused).
public struct MultiLabelRecord: Sendable {
    public var id: String
    public var text: String
    public var labels: [String]
    /// False for an item exported without a final set (JSONL `"labels": null`, a Label Studio task
    /// without annotations, a CSV row with empty `labels` and empty `label_from`): no answer at all,
    /// which is not the empty set ("none of these").
    public var isAnswered: Bool
    /// Who gave the set, where the file says (JSONL `"annotator"`, a CSV `annotator` column).
    public var annotator: String?
    /// The item's true set, where the file gives one (JSONL `"gold"`, a non-empty CSV `gold` cell).
    public var gold: [String]?
    /// The line the record starts on, where it was read from a file; for error messages only, so
    /// it takes no part in equality.
    public var line: Int?

    public init(id: String, text: String, labels: [String], isAnswered: Bool = true, annotator: String? = nil,
                gold: [String]? = nil, line: Int? = nil) {
        self.id = id
        self.text = text
        self.labels = labels
        self.isAnswered = isAnswered
        self.annotator = annotator
        self.gold = gold
        self.line = line
    }

    public var labelSet: Set<String> { Set(labels) }
}

extension MultiLabelRecord: Equatable {
    public static func == (lhs: MultiLabelRecord, rhs: MultiLabelRecord) -> Bool {
        lhs.id == rhs.id && lhs.text == rhs.text && lhs.labels == rhs.labels && lhs.isAnswered == rhs.isAnswered
            && lhs.annotator == rhs.annotator && lhs.gold == rhs.gold
    }
}
