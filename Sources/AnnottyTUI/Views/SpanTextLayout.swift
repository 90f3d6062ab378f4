import AnnottyCore

/// Entity spans: the item's text with its spans marked, wrapped to a width. An accepted span
/// reads `[Boris Johnson]PER`, a proposal `{Boris Johnson}PER`: brackets and the type name say
/// what each is in monochrome and ASCII; colours (one per type) and underlining only repeat it.
/// A span's marker is never split from its text: the span wraps as one unit, cut only when it is
/// wider than the whole line. The focused span and the words under the cursor are in reverse.
enum SpanTextLayout {
    /// A piece that stays on one line: a word, a run of spaces, or a whole span with its marker.
    struct Atom {
        var glyphs: [(Glyph, TextRole)] = []
        var width = 0
        var isSpace = false
        /// A line break in the text ends the line after this atom.
        var breaksLine = false

        mutating func append(_ glyph: Glyph, _ role: TextRole) {
            glyphs.append((glyph, role))
            width += glyph.width
        }
    }

    static func lines(text: String, editor: SpanEditor, labels: LabelSet, unicode: Bool, width: Int) -> [StyledLine] {
        guard width > 0 else { return [] }
        return wrap(atoms(text: text, editor: editor, labels: labels, unicode: unicode), width: width)
    }

    static func atoms(text: String, editor: SpanEditor, labels: LabelSet, unicode: Bool) -> [Atom] {
        let inert = InertText(unicode: unicode)
        let spans = editor.shown
        let focusedKey: SpanKey? = { if case .span(let key) = editor.focus { return key } else { return nil } }()
        var selected: Range<Int>?
        if let range = editor.selectedTokenRange {
            selected = editor.tokens[range.lowerBound].start..<editor.tokens[range.upperBound].end
        }
        var atoms: [Atom] = []
        var atom = Atom()
        var spanIndex = 0
        var open: SpanEditor.Entry?
        var offset = 0

        func flush() {
            if !atom.glyphs.isEmpty || atom.breaksLine { atoms.append(atom) }
            atom = Atom()
        }
        func roleOf(_ entry: SpanEditor.Entry) -> TextRole {
            if entry.span.key == focusedKey { return .selection }
            return TextRole.entity(typeIndex: labels.index(of: entry.span.type) ?? 0, proposed: entry.status == .proposed)
        }
        func close() {
            guard let entry = open else { return }
            let role = roleOf(entry)
            for glyph in Glyph.ascii(entry.status == .proposed ? "}" : "]") { atom.append(glyph, role) }
            for glyph in inert.line(entry.span.type) { atom.append(glyph, role) }
            open = nil
            flush()
        }

        for character in text {
            let size = character.unicodeScalars.count
            defer { offset += size }
            if let entry = open, entry.span.end <= offset { close() }
            // Spans that start inside an earlier one or before this character are passed over.
            while spanIndex < spans.count, spans[spanIndex].span.start < offset, open == nil {
                spanIndex += 1
            }
            if open == nil, spanIndex < spans.count, spans[spanIndex].span.start < offset + size {
                flush()
                let entry = spans[spanIndex]
                spanIndex += 1
                open = entry
                for glyph in Glyph.ascii(entry.status == .proposed ? "{" : "[") { atom.append(glyph, roleOf(entry)) }
            }
            if let entry = open {
                // Inside a span: everything stays in the one atom (a line break shows as a mark).
                let underCursor = selected?.contains(offset) == true
                let role = underCursor ? .selection : roleOf(entry)
                for glyph in inert.line(String(character)) { atom.append(glyph, role) }
                continue
            }
            if InertText.isLineBreak(character) {
                flush()
                atom.breaksLine = true
                flush()
                continue
            }
            let role: TextRole = selected.map { $0.contains(offset) } == true ? .selection : .normal
            for glyph in glyphs(of: character, inert: inert) {
                if glyph.isSpace != atom.isSpace || atom.glyphs.isEmpty {
                    flush()
                    atom.isSpace = glyph.isSpace
                }
                // The cursor's words stand out, the spaces between them too.
                let shownRole = glyph.isSpace && role == .selection
                    && !(selected.map { $0.contains(offset + size) } ?? false) ? .normal : role
                atom.append(glyph, shownRole)
            }
        }
        close()
        flush()
        return atoms
    }

    /// Printable ASCII directly (most text), the rest through `InertText`.
    static func glyphs(of character: Character, inert: InertText) -> [Glyph] {
        if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F { return [Glyph(String(character), width: 1)] }
        return inert.line(String(character))
    }

    static func wrap(_ atoms: [Atom], width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        var line: [(Glyph, TextRole)] = []
        var lineWidth = 0

        /// `trimming`: spaces ending a line vanish, except inside a span cut across lines.
        func finishLine(trimming: Bool = true) {
            while trimming, let last = line.last, last.0.isSpace { line.removeLast() }
            lines.append(styled(line))
            line = []
            lineWidth = 0
        }

        for atom in atoms {
            if atom.breaksLine {
                finishLine()
                continue
            }
            if atom.isSpace {
                if lineWidth + atom.width <= width {
                    if lineWidth > 0 {
                        line.append(contentsOf: atom.glyphs)
                        lineWidth += atom.width
                    }
                } else {
                    finishLine()
                }
                continue
            }
            if lineWidth + atom.width <= width {
                line.append(contentsOf: atom.glyphs)
                lineWidth += atom.width
                continue
            }
            if atom.width <= width {
                finishLine()
                line = atom.glyphs
                lineWidth = atom.width
                continue
            }
            // Wider than a whole line: on lines of its own, cut glyph by glyph.
            if lineWidth > 0 { finishLine() }
            for (glyph, role) in atom.glyphs {
                if lineWidth + glyph.width > width { finishLine(trimming: false) }
                guard glyph.width <= width else { continue }
                line.append((glyph, role))
                lineWidth += glyph.width
            }
        }
        finishLine()
        return lines
    }

    /// Glyphs in runs of one role each.
    static func styled(_ glyphs: [(Glyph, TextRole)]) -> StyledLine {
        var line = StyledLine()
        for (glyph, role) in glyphs {
            if let last = line.runs.indices.last, line.runs[last].role == role {
                line.runs[last].glyphs.append(glyph)
            } else {
                line.append([glyph], role: role)
            }
        }
        return line
    }
}
