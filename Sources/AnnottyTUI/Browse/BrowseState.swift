import AnnottyCore

/// The whole state of the browse screen, as a value. Only `BrowseReducer` changes it.
public struct BrowseState: Sendable, Equatable {
    /// What the screen shows.
    public enum Page: Sendable, Equatable {
        case list
        /// An item opened from the list (kept as it was when opened, updated by relabels);
        /// `scroll` is the first line shown.
        case item(BrowsedItem, scroll: Int)
    }

    public let setup: BrowseSetup
    public var size: ScreenSize
    public var capabilities: TerminalCapabilities
    public var filter: BrowseFilter
    /// Items matching the filter (nil until counted).
    public var total: Int?
    /// The rows loaded, starting at `loadedOffset` among the matching items.
    public var rows: [BrowsedItem] = []
    public var loadedOffset = 0
    /// The selected row, among all matching items.
    public var selection = 0
    /// The first matching item shown at the top of the list.
    public var listTop = 0
    public var page: Page = .list
    /// The search being typed, when the search prompt is open.
    public var searchDraft: String?
    public var showsHelp = false
    public var loading = false
    public var message: BrowseMessage?
    public var isFinished = false

    public init(setup: BrowseSetup, size: ScreenSize, capabilities: TerminalCapabilities) {
        self.setup = setup
        self.size = size
        self.capabilities = capabilities
        self.filter = setup.initialFilter
    }

    /// The selected item, when it is loaded.
    public var selectedItem: BrowsedItem? {
        let index = selection - loadedOffset
        return rows.indices.contains(index) ? rows[index] : nil
    }

    /// The loaded row at a position among all matching items.
    public func row(at position: Int) -> BrowsedItem? {
        let index = position - loadedOffset
        return rows.indices.contains(index) ? rows[index] : nil
    }
}

/// The line above the footer that says what just happened.
public enum BrowseMessage: Sendable, Equatable {
    /// A relabel was saved. `from` is the final label before it; `final` the final label after
    /// it (nil until the item is read again): another person's label may keep it from changing.
    case relabelled(itemId: Int64, from: String?, to: String, final: String?)
    case nothingSelected
    case openAnItemToRelabel
    /// Entity spans: type keys do not relabel here; spans are edited in `annotty label`.
    case spansEditedInLabel
    /// Multi-label: unticking the last label of a project that needs one.
    case emptySetRefused
    case unboundKey(KeyPress)
    case storeFailed(String)
}
