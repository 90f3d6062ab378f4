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

    public init(projectName: String, annotator: String, labels: LabelSet, keymap: BrowseKeymap,
                filter: BrowseFilter = BrowseFilter(), pageSize: Int = 200) {
        self.projectName = projectName
        self.annotator = annotator
        self.labels = labels
        self.keymap = keymap
        self.initialFilter = filter
        self.pageSize = max(1, pageSize)
    }
}
