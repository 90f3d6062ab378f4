/// One item with the set of labels it was given, as the multi-label formats carry it. `labels` keeps
/// the order written; readers and writers treat it as a set (duplicates are refused).
public struct MultiLabelRecord: Sendable, Equatable {
    public var id: String
    public var text: String
    public var labels: [String]

    public init(id: String, text: String, labels: [String]) {
        self.id = id
        self.text = text
        self.labels = labels
    }

    public var labelSet: Set<String> { Set(labels) }
}
