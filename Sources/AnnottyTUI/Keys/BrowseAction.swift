/// What a key does on the browse screen. Label keys (relabel the open item) come from the
/// project's labels, as on the labeling screen.
public enum BrowseAction: String, Sendable, Hashable, CaseIterable {
    case open
    case back
    case search
    case flaggedOnly = "flagged_only"
    case help
    case quit
    case down
    case up
    case pageDown = "page_down"
    case pageUp = "page_up"

    public var defaultKeys: [KeyPress] {
        switch self {
        case .open: return [.enter]
        case .back: return [.escape, .backspace]
        case .search: return [.character("/")]
        case .flaggedOnly: return [.character("F")]
        case .help: return [.character("?"), .function(1)]
        case .quit: return [.character("q"), .control("c")]
        case .down: return [.down, .character("j")]
        case .up: return [.up, .character("k")]
        case .pageDown: return [.pageDown]
        case .pageUp: return [.pageUp]
        }
    }

    /// One line for the help overlay.
    public var helpText: String {
        switch self {
        case .open: return "open the selected item (its text, votes, flags and notes)"
        case .back: return "back to the list; in a search, cancel it"
        case .search: return "search the text (Enter applies, an empty search clears it)"
        case .flaggedOnly: return "show only flagged items, or all again"
        case .help: return "show or hide this help"
        case .quit: return "quit; every relabel is already saved"
        case .down: return "next item (in an open item: scroll down)"
        case .up: return "previous item (in an open item: scroll up)"
        case .pageDown: return "a page down"
        case .pageUp: return "a page up"
        }
    }

    /// The footer word; nil for actions left to the help.
    public var footerText: String? {
        switch self {
        case .open: return "open"
        case .back: return "back"
        case .search: return "search"
        case .flaggedOnly: return "flagged"
        case .help: return "help"
        case .quit: return "quit"
        case .down, .up, .pageDown, .pageUp: return nil
        }
    }
}
