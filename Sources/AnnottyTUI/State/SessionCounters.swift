/// The numbers of the status line that come from the store, kept current between refreshes.
public struct SessionCounters: Sendable, Equatable {
    /// Decisions of this session still in effect (undo takes one back).
    public var done = 0
    /// Open items at the last refresh, and labels given since, for the "left" figure.
    public var openAtRefresh: Int?
    public var labelledSinceRefresh = 0
    public var autoAccepted: Int?

    public init() {}

    public var left: Int? {
        openAtRefresh.map { max(0, $0 - labelledSinceRefresh) }
    }
}
