/// Wraps glyphs at word boundaries to a width in columns. Lines break at spaces and on either
/// side of a wide character (CJK text has no spaces); a word longer than the line is cut between
/// clusters; a wide character that does not fit at the end of a line moves to the next whole.
public enum TextWrapper {
    public static func wrap(_ paragraphs: [[Glyph]], width: Int) -> [[Glyph]] {
        paragraphs.flatMap { wrap(paragraph: $0, width: width) }
    }

    public static func wrap(paragraph: [Glyph], width: Int) -> [[Glyph]] {
        guard width > 0 else { return [] }
        var lines: [[Glyph]] = []
        var line: [Glyph] = []
        var lineWidth = 0

        func finishLine() {
            while let last = line.last, last.isSpace {
                line.removeLast()
            }
            lines.append(line)
            line = []
            lineWidth = 0
        }

        for token in tokens(paragraph) {
            if token.isSpace {
                // Spaces that end a line vanish; so do those that would start a wrapped line.
                if lineWidth + token.width <= width {
                    if lineWidth > 0 || lines.isEmpty {
                        line.append(contentsOf: token.glyphs)
                        lineWidth += token.width
                    }
                } else {
                    finishLine()
                }
                continue
            }
            if lineWidth + token.width <= width {
                line.append(contentsOf: token.glyphs)
                lineWidth += token.width
                continue
            }
            if token.width <= width {
                finishLine()
                line.append(contentsOf: token.glyphs)
                lineWidth = token.width
                continue
            }
            // Longer than a whole line: start it on a line of its own and cut it cluster by cluster.
            if lineWidth > 0 { finishLine() }
            for glyph in token.glyphs {
                if lineWidth + glyph.width > width { finishLine() }
                guard glyph.width <= width else { continue }
                line.append(glyph)
                lineWidth += glyph.width
            }
        }
        finishLine()
        return lines
    }

    struct Token {
        var glyphs: [Glyph]
        var width: Int
        var isSpace: Bool
    }

    /// Runs of spaces, runs of other narrow glyphs, and each wide glyph alone. Linear: a run
    /// grows in place (copying the last token out and back would copy the run on every glyph,
    /// which made a 20,000-character word cost seconds).
    static func tokens(_ glyphs: [Glyph]) -> [Token] {
        var tokens: [Token] = []
        var lastIsWide = false
        for glyph in glyphs {
            let isSpace = glyph.isSpace
            let standsAlone = glyph.width >= 2
            if !standsAlone, !lastIsWide, let last = tokens.indices.last, tokens[last].isSpace == isSpace {
                tokens[last].glyphs.append(glyph)
                tokens[last].width += glyph.width
            } else {
                tokens.append(Token(glyphs: [glyph], width: glyph.width, isSpace: isSpace))
            }
            lastIsWide = standsAlone
        }
        return tokens
    }
}
