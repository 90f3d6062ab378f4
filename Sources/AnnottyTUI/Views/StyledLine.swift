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
    /// Draws a styled line within `maxWidth` columns; returns the columns used.
    @discardableResult
    public func draw(_ line: StyledLine, row: Int, column: Int, maxWidth: Int) -> Int {
        var used = 0
        for run in line.runs {
            let drawn = draw(run.glyphs, row: row, column: column + used, maxWidth: maxWidth - used, role: run.role)
            used += drawn
            if drawn < run.glyphs.width { break }
        }
        return used
    }
}
