/// A line of glyphs in runs of one role each.
public struct StyledLine: Sendable, Equatable {
    public struct Run: Sendable, Equatable {
        public var glyphs: [Glyph]
        public var role: TextRole
    }

    public var runs: [Run]

    public init(_ runs: [Run] = []) {
        self.runs = runs
    }

    public init(_ glyphs: [Glyph], role: TextRole) {
        self.runs = [Run(glyphs: glyphs, role: role)]
    }

    public var width: Int { runs.reduce(0) { $0 + $1.glyphs.width } }

    public mutating func append(_ glyphs: [Glyph], role: TextRole) {
        runs.append(Run(glyphs: glyphs, role: role))
    }
}

extension Screen {
    /// Draws a styled line within `maxWidth` columns; a line that does not fit ends in an
    /// ellipsis. Returns the columns used.
    @discardableResult
    public func draw(_ line: StyledLine, row: Int, column: Int, maxWidth: Int) -> Int {
        guard maxWidth > 0 else { return 0 }
        var runs = line.runs
        if line.width > maxWidth {
            let ellipsis = InertText(unicode: capabilities.unicode).line(ChromeGlyphs.for(capabilities).ellipsis)
            let room = max(0, maxWidth - ellipsis.width)
            var kept: [StyledLine.Run] = []
            var used = 0
            for run in runs {
                var glyphs: [Glyph] = []
                for glyph in run.glyphs {
                    if used + glyph.width > room { break }
                    glyphs.append(glyph)
                    used += glyph.width
                }
                kept.append(StyledLine.Run(glyphs: glyphs, role: run.role))
                if glyphs.count < run.glyphs.count { break }
            }
            let role = kept.last?.role ?? .normal
            kept.append(StyledLine.Run(glyphs: ellipsis, role: role))
            runs = kept
        }
        var used = 0
        for run in runs {
            used += draw(run.glyphs, row: row, column: column + used, maxWidth: maxWidth - used, role: run.role)
        }
        return used
    }
}
