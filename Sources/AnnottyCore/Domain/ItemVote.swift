/// One person's label on an item, as a reviewer or a browser sees it.
public struct ItemVote: Sendable, Equatable {
    public var annotator: String
    public var label: String

    public init(annotator: String, label: String) {
        self.annotator = annotator
        self.label = label
    }
}
