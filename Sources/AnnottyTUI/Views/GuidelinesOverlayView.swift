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
        for paragraph in inert.paragraphs(markdown) {
            let text = paragraph.text
            var glyphs = paragraph
            var role = TextRole.normal
            if text.hasPrefix("#") {
                glyphs = Array(glyphs.drop { $0.text == "#" }.drop { $0.text == " " })
                role = .heading
            }
            // Bold markers carry no meaning once the whole line is shown plainly.
            glyphs = removingBoldMarkers(glyphs)
            let indent = text.hasPrefix("- ") || text.hasPrefix("* ") ? 2 : 0
            for (index, line) in TextWrapper.wrap(paragraph: glyphs, width: max(1, width - indent)).enumerated() {
                let prefix = index > 0 ? [Glyph](repeating: .space, count: indent) : []
                lines.append(StyledLine(prefix + line, role: role))
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
