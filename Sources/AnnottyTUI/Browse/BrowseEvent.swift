import AnnottyCore

/// Everything that can change the browse screen's state.
public enum BrowseEvent: Sendable, Equatable {
    case started
    case key(KeyPress)
    case resized(ScreenSize)
    /// Rows of `filter` from `offset`, and how many match in all.
    case itemsLoaded([BrowsedItem], offset: Int, total: Int, filter: BrowseFilter)
    /// A relabel was committed.
    case decisionRecorded(Decision)
    /// One item read again (after a relabel), whatever the filter.
    case itemRefreshed(BrowsedItem)
    case storeFailed(String)
}

/// Work the browse reducer asks for.
public enum BrowseEffect: Sendable, Equatable {
    /// Read `limit` rows of `filter` from `offset`, and the count; answered by `.itemsLoaded`.
    case loadItems(BrowseFilter, offset: Int, limit: Int)
    /// Commit a relabel (stamped with the time by the runner); answered by `.decisionRecorded`.
    case recordDecision(Decision)
    /// Read one item again; answered by `.itemRefreshed`.
    case loadItem(Int64)
    case quit
}
