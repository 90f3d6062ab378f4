/// A screen in memory, for tests and benchmarks: what would be on the terminal, as text.
public final class MemoryScreen: Screen {
    public struct Cell: Equatable, Sendable {
        /// The cluster whose left edge is here; "" for the right half of a wide character.
        public var text: String
        public var role: TextRole
    }

    public private(set) var size: ScreenSize
    public let capabilities: TerminalCapabilities
    public private(set) var cells: [[Cell]]
    public private(set) var presentCount = 0

    public init(size: ScreenSize, capabilities: TerminalCapabilities = .full) {
        self.size = size
        self.capabilities = capabilities
        cells = MemoryScreen.blank(size)
    }

    public func resize(to newSize: ScreenSize) {
        size = newSize
        cells = MemoryScreen.blank(newSize)
    }

    public func clear() {
        cells = MemoryScreen.blank(size)
    }

    public func put(_ glyph: Glyph, row: Int, column: Int, role: TextRole) {
        guard row >= 0, row < size.rows, column >= 0, column + glyph.width <= size.columns, glyph.width > 0 else { return }
        // Overwriting half of a wide character blanks its other half, as a terminal does.
        if cells[row][column].text.isEmpty, column > 0 {
            cells[row][column - 1] = Cell(text: " ", role: cells[row][column - 1].role)
        }
        let end = column + glyph.width
        if end < size.columns, cells[row][end].text.isEmpty {
            cells[row][end] = Cell(text: " ", role: cells[row][end].role)
        }
        cells[row][column] = Cell(text: glyph.text, role: role)
        for offset in 1..<glyph.width {
            cells[row][column + offset] = Cell(text: "", role: role)
        }
    }

    public func present() {
        presentCount += 1
    }

    /// Each row as text, trailing spaces removed.
    public var lines: [String] {
        cells.map { row in
            var line = row.map(\.text).joined()
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// The whole screen as text, rows joined by newlines, trailing blank rows removed.
    public var text: String {
        var rows = lines
        while rows.last?.isEmpty == true { rows.removeLast() }
        return rows.joined(separator: "\n")
    }

    public func role(row: Int, column: Int) -> TextRole {
        cells[row][column].role
    }

    /// The roles of the cells of one row, run-length encoded: `[(role, columns)]`.
    public func roleRuns(row: Int) -> [(role: TextRole, columns: Int)] {
        var runs: [(role: TextRole, columns: Int)] = []
        for cell in cells[row] {
            if let last = runs.last, last.role == cell.role {
                runs[runs.count - 1].columns += 1
            } else {
                runs.append((cell.role, 1))
            }
        }
        return runs
    }

    static func blank(_ size: ScreenSize) -> [[Cell]] {
        Array(repeating: Array(repeating: Cell(text: " ", role: .normal), count: max(0, size.columns)), count: max(0, size.rows))
    }
}
