import Foundation
import CNcursesw
#if canImport(Glibc)
import Glibc
#endif

/// ncurses drawing to a file (say /dev/null) as if it were a terminal of a given type and size:
/// for benchmarks that want ncurses's own cost of computing and writing the screen update.
public final class OffscreenTerminal {
    public let screen: NcursesScreen
    private let terminal: OpaquePointer
    private let output: UnsafeMutablePointer<FILE>
    private let input: UnsafeMutablePointer<FILE>

    public init(term: String = "xterm-256color", size: ScreenSize, outputPath: String = "/dev/null") throws {
        setlocale(LC_ALL, "C.UTF-8")
        guard let output = fopen(outputPath, "w"), let input = fopen("/dev/null", "r") else {
            throw TerminalError("cannot open \(outputPath)")
        }
        guard let terminal = newterm(term, output, input) else {
            throw TerminalError("no terminfo entry for \(term)")
        }
        self.output = output
        self.input = input
        self.terminal = terminal
        set_term(terminal)
        _ = resizeterm(Int32(size.rows), Int32(size.columns))
        if has_colors() { _ = start_color(); _ = use_default_colors() }
        screen = NcursesScreen(capabilities: TerminalCapabilities(colors: has_colors(), unicode: true))
    }

    public func close() {
        endwin()
        delscreen(terminal)
        fclose(output)
        fclose(input)
    }
}
