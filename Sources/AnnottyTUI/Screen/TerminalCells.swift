import CNcursesw

/// How a glyph is handed to ncurses so that ncurses, the terminal and our layout agree on its
/// width. ncurses advances the cursor by the C library's `wcwidth`, which sees a ZWJ family or a
/// skin-toned emoji as several characters, and `❤️` as one column. Where the C library's sum
/// differs from our width, the glyph is drawn as its first character padded with spaces to our
/// width: a simpler picture, but never a shifted line.
public enum TerminalCells {
    /// One terminal cell group: a spacing character with the zero-width ones that follow it.
    public struct Cell: Equatable, Sendable {
        public var scalars: [Unicode.Scalar]
        public var width: Int
    }

    /// ncurses keeps at most this many characters per cell (CCHARW_MAX).
    static let charactersPerCell = 5

    public static func cells(for glyph: Glyph, libcWidth: (Unicode.Scalar) -> Int32 = libcWidth) -> [Cell] {
        let scalars = glyph.text.unicodeScalars
        if scalars.count == 1, let only = scalars.first, Int(libcWidth(only)) == glyph.width, glyph.width > 0 {
            return [Cell(scalars: [only], width: glyph.width)]
        }
        var groups: [Cell] = []
        var consistent = true
        for scalar in glyph.text.unicodeScalars {
            let width = Int(libcWidth(scalar))
            if width < 0 {
                consistent = false
                break
            }
            if width == 0 {
                guard !groups.isEmpty, groups[groups.count - 1].scalars.count < charactersPerCell else {
                    if groups.isEmpty { consistent = false }
                    continue
                }
                groups[groups.count - 1].scalars.append(scalar)
            } else {
                groups.append(Cell(scalars: [scalar], width: width))
            }
        }
        let total = groups.reduce(0) { $0 + $1.width }
        if consistent, total == glyph.width, !groups.isEmpty {
            return groups
        }
        var fallback: [Cell] = []
        if let first = glyph.text.unicodeScalars.first, case let width = Int(libcWidth(first)), width > 0, width <= glyph.width {
            fallback.append(Cell(scalars: [first], width: width))
        }
        let used = fallback.reduce(0) { $0 + $1.width }
        let filler: Unicode.Scalar = fallback.isEmpty ? "?" : " "
        for _ in used..<max(used, glyph.width) {
            fallback.append(Cell(scalars: [fallback.isEmpty ? filler : " "], width: 1))
        }
        return fallback
    }

    public static func libcWidth(_ scalar: Unicode.Scalar) -> Int32 {
        annotty_wcwidth(scalar.value)
    }
}
