/// What a key does on the labeling screen. Labels are bound through `Label.key`, not here.
public enum KeyAction: String, Sendable, Hashable, CaseIterable {
    case accept
    /// The pre-label is wrong (Prodigy's x). No key by default; the `prodigy` preset binds x.
    case reject
    case skip
    case undo
    case flag
    case guidelines
    case help
    case quit
    case scrollDown = "scroll_down"
    case scrollUp = "scroll_up"
    case pageDown = "page_down"
    case pageUp = "page_up"
    /// Take the other opinion when the LLM and the task learner name different labels.
    case other

    /// The default keys; `[keys]` in annotty.toml replaces them per action.
    public var defaultKeys: [KeyPress] {
        switch self {
        case .accept: return [.enter, .character(" ")]
        case .reject: return []
        case .skip: return [.character("s")]
        case .undo: return [.character("u")]
        case .flag: return [.character("f")]
        case .guidelines: return [.character("g")]
        case .help: return [.character("?"), .function(1)]
        case .quit: return [.character("q"), .control("c")]
        case .scrollDown: return [.down, .character("j")]
        case .scrollUp: return [.up, .character("k")]
        case .pageDown: return [.pageDown]
        case .pageUp: return [.pageUp]
        case .other: return [.character("o")]
        }
    }

    /// One line for the help overlay.
    public var helpText: String {
        switch self {
        case .accept: return "accept the pre-label"
        case .reject: return "reject the pre-label: it is wrong; with two labels the other one is saved, "
            + "otherwise pick the right label (the item stays)"
        case .skip: return "skip this item (it stays open for others)"
        case .undo: return "undo the last decision; repeat to go further back"
        case .flag: return "flag this item, with an optional note"
        case .guidelines: return "show the annotation guidelines"
        case .help: return "show or hide this help"
        case .quit: return "quit; every decision is already saved"
        case .scrollDown: return "scroll a long item down"
        case .scrollUp: return "scroll a long item up"
        case .pageDown: return "scroll a page down"
        case .pageUp: return "scroll a page up"
        case .other: return "take the other opinion when LLM and learner disagree"
        }
    }

    /// The help line in a session's mode: an audit confirms, a review settles.
    public func helpText(in mode: LabelingMode) -> String {
        switch (self, mode) {
        case (.accept, .audit): return "confirm the auto-accepted label"
        case (.accept, .review): return "accept the suggested final label (Dawid-Skene, else the majority)"
        case (.reject, .audit): return "the auto-accepted label is wrong; with two labels the other one is saved, "
            + "otherwise pick the right label"
        case (.reject, .review): return "reject the suggested final label; with two labels the other one is saved, "
            + "otherwise pick the final label"
        case (.skip, .audit): return "skip this item; it does not count in the estimate"
        case (.skip, .review): return "leave this disagreement for a later review"
        case (.undo, .audit): return "undo the last audit decision; repeat to go further back"
        case (.undo, .review): return "undo the last review decision; repeat to go further back"
        case (.quit, .audit): return "quit and print the estimated error rate; every decision is already saved"
        default: return helpText
        }
    }

    /// The footer word in a session's mode.
    public func footerText(in mode: LabelingMode) -> String? {
        switch (self, mode) {
        case (.accept, .audit): return "confirm"
        case (.accept, .review): return "accept suggestion"
        default: return footerText
        }
    }

    /// The word in the footer; nil for actions the footer leaves to the help.
    public var footerText: String? {
        switch self {
        case .accept: return "accept"
        case .reject: return "reject"
        case .skip: return "skip"
        case .undo: return "undo"
        case .flag: return "flag"
        case .guidelines: return "guidelines"
        case .help: return "help"
        case .quit: return "quit"
        // The pre-label line names the other opinion's key where there is one.
        case .scrollDown, .scrollUp, .pageDown, .pageUp, .other: return nil
        }
    }
}
