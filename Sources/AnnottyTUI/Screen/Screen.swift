/// Rows and columns of a terminal.
public struct ScreenSize: Sendable, Hashable, CustomStringConvertible {
    public var rows: Int
    public var columns: Int

    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }

    public var description: String { "\(columns)x\(rows)" }
}

/// Where views draw. The ncurses screen and the in-memory screen of the tests implement it;
/// views only ever place glyphs, so both show exactly the same thing.
public protocol Screen: AnyObject {
    var size: ScreenSize { get }
    var capabilities: TerminalCapabilities { get }
    /// Blanks the whole screen (drawn on the next `present`).
    func clear()
    /// Places one glyph with its left edge at `column`. A glyph that would cross the right edge
    /// is not drawn.
    func put(_ glyph: Glyph, row: Int, column: Int, role: TextRole)
    /// Shows what was drawn since the last `present`.
    func present()
}

extension Screen {
    /// Draws glyphs from `column`, stopping before the first one that would pass `maxWidth`
    /// columns (so a wide character is never cut in half). Returns the columns used.
    @discardableResult
    public func draw(_ glyphs: [Glyph], row: Int, column: Int, maxWidth: Int? = nil, role: TextRole) -> Int {
        guard row >= 0, row < size.rows else { return 0 }
        let limit = min(maxWidth ?? Int.max, size.columns - column)
        var used = 0
        for glyph in glyphs {
            if used + glyph.width > limit { break }
            put(glyph, row: row, column: column + used, role: glyph.isPlaceholder && role != .titleBar ? .placeholder : role)
            used += glyph.width
        }
        return used
    }

    /// Draws plain interface text (ASCII or chrome glyphs chosen for the terminal).
    @discardableResult
    public func draw(_ text: String, row: Int, column: Int, maxWidth: Int? = nil, role: TextRole) -> Int {
        draw(InertText(unicode: capabilities.unicode).line(text), row: row, column: column, maxWidth: maxWidth, role: role)
    }

    /// Fills `width` columns with spaces in `role` (for bars with a background).
    public func fill(row: Int, column: Int, width: Int, role: TextRole) {
        guard width > 0 else { return }
        for offset in 0..<width where column + offset < size.columns {
            put(.space, row: row, column: column + offset, role: role)
        }
    }
}
