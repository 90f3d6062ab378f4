import AnnottyCore

/// Entity spans: the item's text with its spans marked, wrapped to a width. An accepted span
/// reads `[Boris Johnson]PER`, a proposal `{Boris Johnson}PER`: brackets and the type name say
/// what each is in monochrome and ASCII; colours (one per type) and underlining only repeat it.
/// A span's marker is never split from its text: the span wraps as one unit, cut only when it is
/// wider than the whole line. The focused span and the words under the cursor are in reverse.
///
/// It runs on every key, so it works on the glyphs the editor made once for the item
/// (`SpanEditor.cells`) and touches each glyph a fixed few times.
enum SpanTextLayout {
    /// A piece that stays on one line: a word, a run of spaces, or a whole span with its marker.
    struct Atom {
        /// The glyphs in runs of one role (most atoms have one run).
        var runs: [StyledLine.Run] = []
        var width = 0
        var isSpace = false
        /// A line break in the text: the line ends here.
        var breaksLine = false

        var isEmpty: Bool { runs.isEmpty }

        /// Appends a run of the text's cells in one role.
        mutating func append(run cells: ArraySlice<SpanEditor.TextCell>, role: TextRole) {
            var glyphs: [Glyph] = []
            glyphs.reserveCapacity(cells.count)
            for cell in cells {
                glyphs.append(cell.glyph)
                width += cell.glyph.width
            }
            if let last = runs.indices.last, runs[last].role == role {
                runs[last].glyphs.append(contentsOf: glyphs)
            } else {
                runs.append(StyledLine.Run(glyphs: glyphs, role: role))
            }
        }

        mutating func append(_ glyph: Glyph, _ role: TextRole) {
            if let last = runs.indices.last, runs[last].role == role {
                runs[last].glyphs.append(glyph)
            } else {
                runs.append(StyledLine.Run(glyphs: [glyph], role: role))
            }
            width += glyph.width
        }
    }

    static func lines(editor: SpanEditor, labels: LabelSet, unicode: Bool, width: Int) -> [StyledLine] {
        guard width > 0 else { return [] }
        return wrap(atoms(editor: editor, labels: labels, unicode: unicode), width: width)
    }

    static func atoms(editor: SpanEditor, labels: LabelSet, unicode: Bool) -> [Atom] {
        let inert = InertText(unicode: unicode)
        let spans = editor.shown
        let focusedKey: SpanKey? = { if case .span(let key) = editor.focus { return key } else { return nil } }()
        var selected = 0..<0
        if let range = editor.selectedTokenRange {
            selected = editor.tokens[range.lowerBound].start..<editor.tokens[range.upperBound].end
        }
        let cells = editor.cells
        var atoms: [Atom] = []
        atoms.reserveCapacity(cells.count / 3)
        var atom = Atom()
        var spanIndex = 0
        var index = 0
        while index < cells.count {
            let cell = cells[index]
            // Spans that start inside an earlier one are passed over.
            while spanIndex < spans.count, spans[spanIndex].span.start < cell.offset { spanIndex += 1 }
            let nextOffset = index + 1 < cells.count ? cells[index + 1].offset : Int.max
            if spanIndex < spans.count, spans[spanIndex].span.start < max(nextOffset, cell.offset + 1) {
                // A whole span, its marker and its text, as one atom.
                let entry = spans[spanIndex]
                spanIndex += 1
                if !atom.isEmpty { atoms.append(atom) }
                atom = Atom()
                let role = entry.span.key == focusedKey ? .selection
                    : TextRole.entity(typeIndex: labels.index(of: entry.span.type) ?? 0, proposed: entry.status == .proposed)
                let proposed = entry.status == .proposed
                atom.append(Glyph(proposed ? "{" : "[", width: 1), role)
                while index < cells.count, cells[index].offset < entry.span.end {
                    let underCursor = selected.contains(cells[index].offset)
                    var to = index + 1
                    while to < cells.count, cells[to].offset < entry.span.end,
                          selected.contains(cells[to].offset) == underCursor { to += 1 }
                    atom.append(run: cells[index..<to], role: underCursor ? .selection : role)
                    index = to
                }
                atom.append(Glyph(proposed ? "}" : "]", width: 1), role)
                for glyph in inert.line(entry.span.type) { atom.append(glyph, role) }
                atoms.append(atom)
                atom = Atom()
                continue
            }
            index += 1
            if cell.isLineBreak {
                if !atom.isEmpty { atoms.append(atom) }
                var lineBreak = Atom()
                lineBreak.breaksLine = true
                atoms.append(lineBreak)
                atom = Atom()
                // A line break's cells (one per break) are passed over together.
                while index < cells.count, cells[index].isLineBreak, cells[index].offset == cell.offset { index += 1 }
                continue
            }
            // A run of words or of spaces, up to the next span or line break, added run by run.
            let isSpace = cell.isSpace
            var end = index
            while end < cells.count, !cells[end].isLineBreak, cells[end].isSpace == isSpace {
                let after = end + 1 < cells.count ? cells[end + 1].offset : Int.max
                if spanIndex < spans.count, spans[spanIndex].span.start < max(after, cells[end].offset + 1) { break }
                end += 1
            }
            if isSpace != atom.isSpace || atom.isEmpty {
                if !atom.isEmpty { atoms.append(atom) }
                atom = Atom()
                atom.isSpace = isSpace
            }
            var from = index - 1
            if isSpace {
                // Spaces between words under the cursor stand out with them.
                let after = end < cells.count ? cells[end].offset : Int.max
                let underCursor = selected.contains(cell.offset) && selected.contains(after)
                atom.append(run: cells[from..<end], role: underCursor ? .selection : .normal)
            } else {
                while from < end {
                    let underCursor = selected.contains(cells[from].offset)
                    var to = from + 1
                    while to < end, selected.contains(cells[to].offset) == underCursor { to += 1 }
                    atom.append(run: cells[from..<to], role: underCursor ? .selection : .normal)
                    from = to
                }
            }
            index = end
        }
        if !atom.isEmpty { atoms.append(atom) }
        return atoms
    }

    /// The line (of `lines`) where the selected span or words start; nil without a selection.
    /// Counts lines as `wrap` breaks them without building them, for scrolling the focus into view.
    static func focusLine(editor: SpanEditor, labels: LabelSet, unicode: Bool, width: Int) -> Int? {
        guard width > 0, editor.focus != .none else { return nil }
        var line = 0
        var lineWidth = 0
        for atom in atoms(editor: editor, labels: labels, unicode: unicode) {
            if atom.breaksLine {
                line += 1
                lineWidth = 0
                continue
            }
            if atom.isSpace {
                if lineWidth + atom.width <= width {
                    if lineWidth > 0 { lineWidth += atom.width }
                } else {
                    line += 1
                    lineWidth = 0
                }
                continue
            }
            if lineWidth + atom.width > width, lineWidth > 0 {
                line += 1
                lineWidth = 0
            }
            if atom.runs.contains(where: { $0.role == .selection }) { return line }
            if atom.width <= width {
                lineWidth += atom.width
            } else {
                // Cut across lines: the lines it fills, and what is left on its last one.
                line += (atom.width - 1) / width
                lineWidth = atom.width - (atom.width - 1) / width * width
            }
        }
        return nil
    }

    static func wrap(_ atoms: [Atom], width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        var line = StyledLine()
        var lineWidth = 0

        func add(_ glyph: Glyph, _ role: TextRole) {
            if let last = line.runs.indices.last, line.runs[last].role == role {
                line.runs[last].glyphs.append(glyph)
            } else {
                line.runs.append(StyledLine.Run(glyphs: [glyph], role: role))
            }
            lineWidth += glyph.width
        }
        func addAll(_ atom: Atom) {
            for run in atom.runs {
                if let last = line.runs.indices.last, line.runs[last].role == run.role {
                    line.runs[last].glyphs.append(contentsOf: run.glyphs)
                } else {
                    line.runs.append(run)
                }
            }
            lineWidth += atom.width
        }
        /// `trimming`: spaces ending a line vanish, except inside a span cut across lines.
        func finishLine(trimming: Bool = true) {
            if trimming {
                while let last = line.runs.indices.last {
                    while let glyph = line.runs[last].glyphs.last, glyph.isSpace { line.runs[last].glyphs.removeLast() }
                    if line.runs[last].glyphs.isEmpty { line.runs.removeLast() } else { break }
                }
            }
            lines.append(line)
            line = StyledLine()
            lineWidth = 0
        }

        for atom in atoms {
            if atom.breaksLine {
                finishLine()
                continue
            }
            if atom.isSpace {
                if lineWidth + atom.width <= width {
                    if lineWidth > 0 { addAll(atom) }
                } else {
                    finishLine()
                }
                continue
            }
            if lineWidth + atom.width <= width {
                addAll(atom)
                continue
            }
            if atom.width <= width {
                finishLine()
                addAll(atom)
                continue
            }
            // Wider than a whole line: on lines of its own, cut glyph by glyph.
            if lineWidth > 0 { finishLine() }
            for run in atom.runs {
                for glyph in run.glyphs {
                    if lineWidth + glyph.width > width { finishLine(trimming: false) }
                    guard glyph.width <= width else { continue }
                    add(glyph, run.role)
                }
            }
        }
        finishLine()
        return lines
    }
}
