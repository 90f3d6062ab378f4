import CNcursesw

/// The real screen: ncursesw's standard screen. Only the UI thread may use it.
public final class NcursesScreen: Screen {
    public private(set) var size: ScreenSize
    public let capabilities: TerminalCapabilities
    private var styles: [TextRole: (attributes: attr_t, pair: Int16)] = [:]

    /// Call after ncurses is started (see `NcursesTerminal`).
    init(capabilities: TerminalCapabilities) {
        self.capabilities = capabilities
        size = ScreenSize(rows: Int(annotty_getmaxy(annotty_stdscr())), columns: Int(annotty_getmaxx(annotty_stdscr())))
        defineStyles()
    }

    /// Re-reads the window size after ncurses reported a resize.
    func updateSize() {
        size = ScreenSize(rows: Int(annotty_getmaxy(annotty_stdscr())), columns: Int(annotty_getmaxx(annotty_stdscr())))
    }

    public func clear() {
        werase(annotty_stdscr())
    }

    public func put(_ glyph: Glyph, row: Int, column: Int, role: TextRole) {
        guard row >= 0, row < size.rows, column >= 0, column + glyph.width <= size.columns, glyph.width > 0 else { return }
        let style = styles[role] ?? (annotty_a_normal(), 0)
        let window = annotty_stdscr()
        var value = cchar_t()
        // Printable ASCII, nearly every glyph: no width checks, no arrays.
        let scalars = glyph.text.unicodeScalars
        if glyph.width == 1, scalars.count == 1, let scalar = scalars.first, scalar.value >= 0x20, scalar.value < 0x7F {
            var characters: (wchar_t, wchar_t) = (wchar_t(scalar.value), 0)
            withUnsafePointer(to: &characters) { pointer in
                pointer.withMemoryRebound(to: wchar_t.self, capacity: 2) { text in
                    _ = annotty_setcchar(&value, text, style.attributes, style.pair)
                }
            }
            _ = mvwadd_wch(window, Int32(row), Int32(column), &value)
            return
        }
        var x = column
        let cells = capabilities.unicode ? TerminalCells.cells(for: glyph) : asciiCells(glyph)
        for cell in cells {
            var characters = cell.scalars.map { wchar_t(bitPattern: $0.value) }
            characters.append(0)
            _ = annotty_setcchar(&value, characters, style.attributes, style.pair)
            // The bottom-right cell returns ERR (the cursor cannot move past it) but is drawn.
            _ = mvwadd_wch(window, Int32(row), Int32(x), &value)
            x += cell.width
        }
    }

    public func present() {
        wnoutrefresh(annotty_stdscr())
        doupdate()
    }

    /// Without a UTF-8 locale only ASCII reaches the terminal; `InertText` already made the text
    /// ASCII, this is the last guard.
    private func asciiCells(_ glyph: Glyph) -> [TerminalCells.Cell] {
        let scalars = glyph.text.unicodeScalars
        if scalars.count == 1, let scalar = scalars.first, scalar.isASCII, scalar.value >= 0x20, scalar.value != 0x7F {
            return [TerminalCells.Cell(scalars: [scalar], width: 1)]
        }
        return Array(repeating: TerminalCells.Cell(scalars: ["?"], width: 1), count: glyph.width)
    }

    private func defineStyles() {
        var pairs: [String: Int16] = [:]
        for role in TextRole.allCases {
            let attributes = StylePalette.attributes(for: role, colors: capabilities.colors)
            var bits = annotty_a_normal()
            if attributes.bold { bits |= annotty_a_bold() }
            if attributes.dim { bits |= annotty_a_dim() }
            if attributes.reverse { bits |= annotty_a_reverse() }
            if attributes.underline { bits |= annotty_a_underline() }
            var pair: Int16 = 0
            if capabilities.colors, attributes.usesColor {
                let foreground = Int16(attributes.foreground?.rawValue ?? -1)
                let background = Int16(attributes.background?.rawValue ?? -1)
                let key = "\(foreground)/\(background)"
                if let existing = pairs[key] {
                    pair = existing
                } else {
                    pair = Int16(pairs.count + 1)
                    init_pair(pair, foreground, background)
                    pairs[key] = pair
                }
            }
            styles[role] = (bits, pair)
        }
    }
}
