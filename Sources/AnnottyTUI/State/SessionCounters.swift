/// The numbers of the status line, kept current between refreshes of the store's counts.
///
/// Two figures, kept apart on purpose: what this annotator did in this session (labels given,
/// skips), and how far the whole project is (items closed out of all items, from the store, so
/// that reopening a project shows the progress already saved).
public struct SessionCounters: Sendable, Equatable {
    /// Decisions of this session still in effect (undo takes one back), skips and flags included:
    /// the items this session moved past.
    public var done = 0
    /// Decisions of this session that gave a label (accept, correct, audit, adjudicate).
    public var labelled = 0
    /// Items that need people (every item but golden questions) at the last refresh.
    public var itemsAtRefresh: Int?
    /// Open items at the last refresh, and labels given since, for the project's progress.
    public var openAtRefresh: Int?
    public var labelledSinceRefresh = 0
    public var autoAccepted: Int?

    public init() {}

    /// Items still open. A skip leaves its item open, so only labels bring this down.
    public var left: Int? {
        openAtRefresh.map { max(0, $0 - labelledSinceRefresh) }
    }

    /// Items no longer open (labelled by people or accepted automatically) out of all items.
    public var projectProgress: (closed: Int, total: Int)? {
        guard let total = itemsAtRefresh, let left else { return nil }
        return (max(0, total - left), total)
    }
}
