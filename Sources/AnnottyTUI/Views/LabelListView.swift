/// The labels and their keys: a packed list under the pre-label in a narrow window, a panel
/// with each label's definition beside the item in a wide one.
enum LabelListView {
    static let gap = 3

    static func entryWidth(_ binding: Keymap.LabelBinding, inert: InertText) -> Int {
        inert.line(binding.key.displayName).width + 1 + inert.line(binding.label.name).width
    }

    static func entry(_ binding: Keymap.LabelBinding, state: LabelingState, inert: InertText) -> StyledLine {
        let highlighted = state.shownPrelabel?.shownLabel == binding.label.name
        var line = StyledLine(inert.line(binding.key.displayName), role: .key)
        line.append([Glyph.space], role: .normal)
        line.append(inert.line(binding.label.name), role: highlighted ? .highlightedLabel : .labelName)
        return line
    }

    static func draw(_ state: LabelingState, layout: LabelingLayout, on screen: any Screen) {
        let inert = InertText(unicode: state.capabilities.unicode)
        let bindings = state.setup.keymap.labels
        if let panel = layout.panel {
            drawPanel(state, panel: panel, ruleColumn: layout.panelRuleColumn ?? panel.column - 2, inert: inert, on: screen)
            return
        }
        let width = layout.size.columns - LabelingLayout.captionWidth - 1
        for (offset, indices) in layout.labelRows.enumerated() {
            let row = layout.prelabelRow + 1 + offset
            if offset == 0 {
                screen.draw(Glyph.ascii("Labels"), row: row, column: 1, role: .heading)
            }
            var column = LabelingLayout.captionWidth
            for index in indices {
                let used = screen.draw(entry(bindings[index], state: state, inert: inert), row: row, column: column,
                                       maxWidth: width - (column - LabelingLayout.captionWidth))
                column += used + gap
            }
        }
    }

    static func drawPanel(_ state: LabelingState, panel: Region, ruleColumn: Int, inert: InertText, on screen: any Screen) {
        let chrome = ChromeGlyphs.for(state.capabilities)
        for row in panel.row..<(panel.row + panel.rows) {
            screen.draw(chrome.verticalRule, row: row, column: ruleColumn, role: .dim)
        }
        var lines: [StyledLine] = [StyledLine(Glyph.ascii("Labels"), role: .heading), StyledLine()]
        let indent = 4
        for binding in state.setup.keymap.labels {
            var line = entry(binding, state: state, inert: inert)
            if state.shownPrelabel?.shownLabel == binding.label.name {
                line.append(inert.line("  " + chrome.marker + " pre-label"), role: .prelabel)
            }
            lines.append(line)
            let definition = state.setup.definition(of: binding.label)
            if !definition.isEmpty {
                for wrapped in TextWrapper.wrap(inert.paragraphs(definition), width: panel.columns - indent) {
                    lines.append(StyledLine([Glyph](repeating: .space, count: indent) + wrapped, role: .dim))
                }
            }
            lines.append(StyledLine())
        }
        while lines.last == StyledLine() { lines.removeLast() }
        let visible = lines.count > panel.rows ? panel.rows - 1 : lines.count
        for (offset, line) in lines.prefix(visible).enumerated() {
            screen.draw(line, row: panel.row + offset, column: panel.column, maxWidth: panel.columns)
        }
        if lines.count > panel.rows {
            screen.draw(chrome.ellipsis + " (\(state.setup.keymap.keys(for: .guidelines).first?.displayName ?? "g") shows the guidelines)",
                        row: panel.row + panel.rows - 1, column: panel.column, maxWidth: panel.columns, role: .dim)
        }
    }
}
