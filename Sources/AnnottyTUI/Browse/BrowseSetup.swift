import AnnottyCore

/// What stays fixed while browsing: the project, who relabels, the labels and keys, and the
/// filter the command line asked for.
public struct BrowseSetup: Sendable, Equatable {
    public var projectName: String
    public var annotator: String
    public var labels: LabelSet
    public var keymap: BrowseKeymap
    public var initialFilter: BrowseFilter
    /// Rows read from the store at a time.
    public var pageSize: Int
    /// Multi-label: a label key toggles that label in the item's final set and saves the new set.
    public var task: TaskKind
    public var allowEmptySet: Bool

    public init(projectName: String, annotator: String, labels: LabelSet, keymap: BrowseKeymap,
                filter: BrowseFilter = BrowseFilter(), pageSize: Int = 200, task: TaskKind = .single,
                allowEmptySet: Bool = true) {
        self.projectName = projectName
        self.annotator = annotator
        self.labels = labels
        self.keymap = keymap
        self.initialFilter = filter
        self.pageSize = max(1, pageSize)
        self.task = task
        self.allowEmptySet = allowEmptySet
    }

    /// A stored answer as people read it: a set as `anger + joy` (`no label` when empty).
    public func display(_ label: String) -> String {
        guard task == .multi, let answer = MultiLabelAnswer.decode(label, labels: labels) else { return label }
        return answer.display
    }
}
