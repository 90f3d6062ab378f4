import AnnottyCore

/// The item's text and extra fields, wrapped to the item area, scrolling when long.
enum ItemView {
    /// Characters of one text laid out per render. A key press lays the item out several times,
    /// so the work must not grow with the item: a 20 MB line would freeze the screen. The rest
    /// is counted, not drawn, and a marker line says how much is left out.
    static let layoutBudgetCharacters = 32_768

    static func contentLines(_ state: LabelingState, width: Int) -> [StyledLine] {
        guard let item = state.current?.item, width > 0 else { return [] }
        let inert = InertText(unicode: state.capabilities.unicode)
        var lines: [StyledLine] = []
        let hasFields = !item.fields.isEmpty
        if hasFields {
            lines.append(StyledLine(inert.line(state.setup.textFieldName), role: .fieldName))
        }
        if state.setup.isSpans {
            appendSpans(item.text, to: &lines, width: width, state: state)
        } else {
            appendWrapped(item.text, to: &lines, width: width, inert: inert, state: state)
        }
        for field in item.fields {
            lines.append(StyledLine())
            lines.append(StyledLine(inert.line(field.name), role: .fieldName))
            appendWrapped(field.value, to: &lines, width: width, inert: inert, state: state)
        }
        return lines
    }

    /// `text` wrapped, at most `layoutBudgetCharacters` of it, then a dim line saying how many
    /// bytes were left out.
    static func appendWrapped(_ text: String, to lines: inout [StyledLine], width: Int, inert: InertText,
                              state: LabelingState) {
        let shown = text.prefix(layoutBudgetCharacters)
        for line in TextWrapper.wrap(inert.paragraphs(String(shown)), width: width) {
            lines.append(StyledLine(line, role: .normal))
        }
        // utf8 counts are O(1) on native strings; counting characters would read the whole text.
        let omittedBytes = text.utf8.count - shown.utf8.count
        guard omittedBytes > 0 else { return }
        let ellipsis = ChromeGlyphs.for(state.capabilities).ellipsis
        let marker = "\(ellipsis) \(groupedDigits(omittedBytes)) more bytes not shown "
            + "(the item is too long to lay out here; read it from the exported file)"
        for line in TextWrapper.wrap(paragraph: inert.line(marker), width: width) {
            lines.append(StyledLine(line, role: .dim))
        }
    }

    /// Entity spans: the text with its spans marked (`SpanTextLayout`), within the same budget.
    static func appendSpans(_ text: String, to lines: inout [StyledLine], width: Int, state: LabelingState) {
        let unicode = state.capabilities.unicode
        let editor = state.currentSpans ?? state.current.map {
            SpanEditor(itemId: $0.item.id, text: $0.item.text,
                       proposed: $0.prediction.flatMap { $0.isValid ? $0.proposedSpans(in: text) : nil }, unicode: unicode)
        } ?? SpanEditor()
        lines.append(contentsOf: SpanTextLayout.lines(editor: editor, labels: state.setup.labels, unicode: unicode,
                                                      width: width))
        // The editor's glyphs stop at the same budget; utf8 counts are O(1) on native strings.
        // (No more bytes than the budget in characters: nothing left out, and no need to count.)
        guard text.utf8.count > layoutBudgetCharacters else { return }
        let omittedBytes = text.utf8.count - text.prefix(layoutBudgetCharacters).utf8.count
        guard omittedBytes > 0 else { return }
        let marker = "\(ChromeGlyphs.for(state.capabilities).ellipsis) \(groupedDigits(omittedBytes)) more bytes not shown"
        for line in TextWrapper.wrap(paragraph: InertText(unicode: unicode).line(marker), width: width) {
            lines.append(StyledLine(line, role: .dim))
        }
    }

    /// 1234567 as "1,234,567".
    static func groupedDigits(_ number: Int) -> String {
        var digits = Array(String(number))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }

    /// Rows left for text: one less than the area when a scroll indicator is needed.
    static func visibleTextRows(_ state: LabelingState) -> Int {
        let layout = LabelingLayout(state: state)
        let total = contentLines(state, width: layout.item.columns).count
        return total > layout.item.rows ? layout.item.rows - 1 : layout.item.rows
    }

    static func maximumScroll(_ state: LabelingState) -> Int {
        let layout = LabelingLayout(state: state)
        let total = contentLines(state, width: layout.item.columns).count
        guard total > layout.item.rows else { return 0 }
        return total - (layout.item.rows - 1)
    }

    static func draw(_ state: LabelingState, layout: LabelingLayout, on screen: any Screen) {
        let area = layout.item
        let chrome = ChromeGlyphs.for(state.capabilities)
        guard state.current != nil else {
            let text: String
            if state.queueExhausted && !state.claimInFlight {
                let quitKey = state.setup.keymap.keys(for: .quit).first?.displayName ?? "q"
                text = "Nothing left to label: every open item is done or taken by someone else. "
                    + "Press \(quitKey) to quit; new items show up here as they arrive."
            } else {
                text = "Loading the next item" + chrome.ellipsis
            }
            let lines = TextWrapper.wrap(paragraph: Glyph.ascii(text), width: area.columns)
            for (offset, line) in lines.prefix(area.rows).enumerated() {
                screen.draw(line, row: area.row + offset, column: area.column, maxWidth: area.columns, role: .dim)
            }
            return
        }
        let lines = contentLines(state, width: area.columns)
        let overflows = lines.count > area.rows
        let textRows = overflows ? area.rows - 1 : area.rows
        let scroll = min(state.itemScroll, max(0, lines.count - textRows))
        for (offset, line) in lines.dropFirst(scroll).prefix(textRows).enumerated() {
            screen.draw(line, row: area.row + offset, column: area.column, maxWidth: area.columns)
        }
        if overflows {
            let first = scroll + 1
            let last = min(lines.count, scroll + textRows)
            let keymap = state.setup.keymap
            let down = keymap.keys(for: .scrollDown).first?.displayName ?? "Down"
            let up = keymap.keys(for: .scrollUp).first?.displayName ?? "Up"
            let arrow = last < lines.count ? chrome.down : chrome.up
            let indicator = "\(arrow) lines \(first)-\(last) of \(lines.count)\(chrome.separator)\(down)/\(up) scroll"
            screen.draw(indicator, row: area.row + area.rows - 1, column: area.column, maxWidth: area.columns, role: .dim)
        }
    }
}
