import Foundation
import CNcursesw
#if canImport(Glibc)
import Glibc
#endif

/// Starts and stops ncurses on the process's terminal and reads keys from it.
final class NcursesTerminal {
    let screen: NcursesScreen
    private let terminal: OpaquePointer

    /// Sets the locale from the environment, then starts ncurses. Colours are used when the
    /// terminal has them and NO_COLOR is unset; Unicode when the locale is UTF-8.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError("annotty label needs a terminal: run it in a terminal window, not with its input or output redirected")
        }
        setlocale(LC_ALL, "")
        let unicode = annotty_codeset_is_utf8() != 0
        // ncurses reports resizes only if SIGWINCH reaches it: a parent may have left the
        // signal ignored (inherited across exec) or blocked, and ncurses installs its handler
        // only over the default disposition.
        signal(SIGWINCH, SIG_DFL)
        var resize = sigset_t()
        sigemptyset(&resize)
        sigaddset(&resize, SIGWINCH)
        pthread_sigmask(SIG_UNBLOCK, &resize, nil)
        guard let terminal = newterm(nil, annotty_stdout(), annotty_stdin()) else {
            throw TerminalError("cannot drive terminal type \"\(environment["TERM"] ?? "")\": set TERM to your terminal (xterm-256color, screen, vt100)")
        }
        self.terminal = terminal
        set_term(terminal)
        raw()
        noecho()
        nonl()
        keypad(annotty_stdscr(), true)
        nodelay(annotty_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        var colors = false
        if has_colors(), !noColor, start_color() == OK {
            _ = use_default_colors()
            colors = true
        }
        screen = NcursesScreen(capabilities: TerminalCapabilities(colors: colors, unicode: unicode))
    }

    func end() {
        // A clean screen for the summary line, on terminals without an alternate screen too.
        werase(annotty_stdscr())
        wnoutrefresh(annotty_stdscr())
        doupdate()
        endwin()
        delscreen(terminal)
    }

    enum Input: Equatable {
        case key(KeyPress)
        case resize
    }

    /// The next key waiting, or nil when none is.
    func nextInput() -> Input? {
        while true {
            var value: wint_t = 0
            let result = wget_wch(annotty_stdscr(), &value)
            if result == ERR { return nil }
            if result == annotty_key_code_yes() {
                if Int32(value) == annotty_key_resize() {
                    screen.updateSize()
                    return .resize
                }
                if let key = Self.functionKey(Int32(value)) { return .key(key) }
                continue
            }
            if let key = Self.characterKey(UInt32(value)) { return .key(key) }
        }
    }

    static func functionKey(_ code: Int32) -> KeyPress? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        default:
            for number in 1...24 where annotty_key_f(Int32(number)) == code { return .function(number) }
            return nil
        }
    }

    static func characterKey(_ value: UInt32) -> KeyPress? {
        switch value {
        case 13, 10: return .enter
        case 27: return .escape
        case 127, 8: return .backspace
        case 9: return .tab
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }
}

public struct TerminalError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
