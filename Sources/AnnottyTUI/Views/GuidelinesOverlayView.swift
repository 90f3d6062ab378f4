import Foundation

/// The guidelines overlay (`g`): the project's Markdown guidelines, wrapped and scrollable.
enum GuidelinesOverlayView {
    static func lines(_ state: LabelingState, width: Int) -> [StyledLine] {
        let inert = InertText(unicode: state.capabilities.unicode)
        let markdown = state.setup.guidelines.markdown
        guard !markdown.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            let text = "This project has no guidelines. Write them in Markdown and name the file in annotty.toml, "
                + "for example guidelines = \"guidelines/task.md\"."
            return TextWrapper.wrap(paragraph: Glyph.ascii(text), width: width).map { StyledLine($0, role: .dim) }
        }
        var lines: [StyledLine] = []
        for block in MarkdownBlocks.parse(markdown) {
            switch block {
            case .blank:
                if lines.last.map({ $0.width > 0 }) ?? false { lines.append(StyledLine()) }
            case .heading(let text):
                for line in TextWrapper.wrap(paragraph: removingBoldMarkers(inert.line(text)), width: width) {
                    lines.append(StyledLine(line, role: .heading))
                }
            case .paragraph(let text, let indent, let marker):
                let markerGlyphs = inert.line(marker)
                let wrapped = TextWrapper.wrap(paragraph: removingBoldMarkers(inert.line(text)),
                                               width: max(1, width - indent - markerGlyphs.width))
                for (index, line) in wrapped.enumerated() {
                    let lead = index == 0 ? markerGlyphs : [Glyph](repeating: .space, count: markerGlyphs.width)
                    lines.append(StyledLine([Glyph](repeating: .space, count: indent) + lead + line, role: .normal))
                }
            case .verbatim(let text):
                lines.append(StyledLine(inert.line(text), role: .dim))
            }
        }
        while lines.last?.width == 0 { lines.removeLast() }
        return lines
    }

    static func removingBoldMarkers(_ glyphs: [Glyph]) -> [Glyph] {
        var result: [Glyph] = []
        var index = 0
        while index < glyphs.count {
            if index + 1 < glyphs.count, glyphs[index].text == "*", glyphs[index + 1].text == "*" {
                index += 2
                continue
            }
            result.append(glyphs[index])
            index += 1
        }
        return result
    }

    static func visibleRows(_ state: LabelingState) -> Int {
        max(1, state.size.rows - 2)
    }

    static func maximumScroll(_ state: LabelingState) -> Int {
        max(0, lines(state, width: state.size.columns - 2).count - visibleRows(state))
    }

    static func draw(_ state: LabelingState, scroll: Int, on screen: any Screen) {
        let size = state.size
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        screen.clear()
        let content = lines(state, width: size.columns - 2)
        let rows = visibleRows(state)
        screen.fill(row: 0, column: 0, width: size.columns, role: .titleBar)
        let title = state.setup.guidelines.title
        let position = content.isEmpty ? "" : "lines \(scroll + 1)-\(min(content.count, scroll + rows)) of \(content.count) "
        screen.draw(inert.line(" Guidelines" + (title.isEmpty ? "" : chrome.separator + title)), row: 0, column: 0,
                    maxWidth: size.columns - position.count - 1, role: .titleBar)
        screen.draw(position, row: 0, column: size.columns - position.count, role: .titleBar)
        for (offset, line) in content.dropFirst(scroll).prefix(rows).enumerated() {
            screen.draw(line, row: 1 + offset, column: 1, maxWidth: size.columns - 2)
        }
        let keymap = state.setup.keymap
        let down = keymap.keys(for: .scrollDown).map(\.displayName).first ?? "Down"
        let up = keymap.keys(for: .scrollUp).map(\.displayName).first ?? "Up"
        let close = keymap.keys(for: .guidelines).first?.displayName ?? "g"
        var footer = StyledLine()
        for (index, hint) in [("\(down)/\(up)", "scroll"), ("PgDn/PgUp", "page"), ("Esc/\(close)", "close")].enumerated() {
            if index > 0 { footer.append(Glyph.ascii("  "), role: .footer) }
            footer.append(Glyph.ascii(hint.0), role: .footerKey)
            footer.append(Glyph.ascii(" " + hint.1), role: .footer)
        }
        screen.draw(footer, row: size.rows - 1, column: 1, maxWidth: size.columns - 2)
    }
}
