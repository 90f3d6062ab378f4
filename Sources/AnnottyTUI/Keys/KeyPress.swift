import Foundation

/// A key as the UI sees it, decoded from the terminal or named in the project config.
public enum KeyPress: Sendable, Hashable {
    case character(Character)
    case enter
    case escape
    case backspace
    case delete
    case tab
    case up, down, left, right
    case pageUp, pageDown, home, end
    case function(Int)
    /// Ctrl with a letter, lowercase (`.control("c")`).
    case control(Character)

    /// Parses a key name from the config: `Enter`, `Space`, `Esc`, `Tab`, `Backspace`, `Up`,
    /// `PageDown`, `F1`, `Ctrl+x`, or a single character such as `a` or `?`.
    public init?(name: String) {
        if name == " " {
            self = .character(" ")
            return
        }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.count == 1, let character = trimmed.first {
            self = .character(character)
            return
        }
        let lower = trimmed.lowercased()
        switch lower {
        case "enter", "return", "ret": self = .enter
        case "space", "spc": self = .character(" ")
        case "esc", "escape": self = .escape
        case "tab": self = .tab
        case "backspace", "bs": self = .backspace
        case "delete", "del": self = .delete
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "pageup", "pgup": self = .pageUp
        case "pagedown", "pgdn", "pgdown": self = .pageDown
        case "home": self = .home
        case "end": self = .end
        default:
            if lower.hasPrefix("f"), let number = Int(lower.dropFirst()), (1...24).contains(number) {
                self = .function(number)
                return
            }
            for prefix in ["ctrl+", "ctrl-", "c-", "^"] where lower.hasPrefix(prefix) {
                let rest = lower.dropFirst(prefix.count)
                if rest.count == 1, let letter = rest.first, letter.isLetter, letter.isASCII {
                    self = .control(letter)
                    return
                }
            }
            return nil
        }
    }

    /// The name shown in the footer and the help.
    public var displayName: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let character): return String(character)
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .tab: return "Tab"
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .function(let number): return "F\(number)"
        case .control(let letter): return "Ctrl+\(letter)"
        }
    }

    /// A key that types text into a prompt (the flag note).
    public var typedText: Character? {
        if case .character(let character) = self { return character }
        return nil
    }
}
