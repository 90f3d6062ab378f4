/// The labels and their keys: a packed list under the pre-label in a narrow window, a panel
/// with each label's definition beside the item in a wide one. On a multi-label project each
/// label is a checkbox entry: `[x]` when ticked, its key, its name, and the pre-label's
/// probability that it is in the set, with `*` on the labels the pre-label predicts in.
enum LabelListView {
    static let gap = 3
    /// Marks a label the pre-label predicts in; ASCII, so it reads the same on every terminal.
    static let predictedInMarker = "*"

    /// A multi-label entry: the checkbox, the key, the name padded to `nameWidth` and, in label
    /// mode with a pre-label, the label's calibrated probability of being in the set.
    static func checkboxEntry(_ binding: Keymap.LabelBinding, state: LabelingState, keyWidth: Int, nameWidth: Int,
                              inert: InertText) -> StyledLine {
        let labels = state.setup.labels
        let index = labels.index(of: binding.label.name)
        let ticked = index.map(state.selectedIndices.contains) ?? false
        let predictedIn = index.map { state.shownPrelabelSet?.contains($0) ?? false } ?? false
        var line = StyledLine(Glyph.ascii(ticked ? "[x]" : "[ ]"), role: ticked ? .highlightedLabel : .normal)
        line.append([Glyph.space], role: .normal)
        let key = inert.line(binding.key.displayName)
        line.append(key, role: .key)
        line.append([Glyph](repeating: .space, count: max(1, 1 + keyWidth - key.width)), role: .normal)
        let name = inert.line(binding.label.name)
        line.append(name, role: ticked ? .highlightedLabel : .labelName)
        line.append([Glyph](repeating: .space, count: max(1, 1 + nameWidth - name.width)), role: .normal)
        // An audit shows the label it checks without numbers, so the check is not anchored by them.
        if state.setup.mode == .label, let prediction = state.shownPrelabel, let index {
            let probability = prediction.inProbabilities(over: labels)[index]
            line.append(Glyph.ascii(String(format: "%.2f", min(1, max(0, probability.isFinite ? probability : 0)))),
                        role: predictedIn ? .prelabel : .dim)
        } else {
            line.append(Glyph.ascii("    "), role: .normal)
        }
        line.append(Glyph.ascii(predictedIn ? predictedInMarker : " "), role: .prelabel)
        return line
    }

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
        if let grid = layout.checkboxGrid {
            drawGrid(state, grid: grid, layout: layout, inert: inert, on: screen)
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

    /// Multi-label in a narrow window: the checkbox entries in the grid's aligned columns.
    static func drawGrid(_ state: LabelingState, grid: CheckboxGrid, layout: LabelingLayout, inert: InertText,
                         on screen: any Screen) {
        let bindings = state.setup.keymap.labels
        for (offset, indices) in grid.rows.enumerated() {
            let row = layout.prelabelRow + 1 + offset
            if offset == 0, grid.hasCaption {
                screen.draw(Glyph.ascii("Labels"), row: row, column: 1, role: .heading)
            }
            for (position, index) in indices.enumerated() {
                let column = grid.entryColumn(at: position)
                let line = checkboxEntry(bindings[index], state: state, keyWidth: grid.keyWidth,
                                         nameWidth: grid.nameWidth(at: position), inert: inert)
                screen.draw(line, row: row, column: column, maxWidth: max(0, layout.size.columns - 1 - column))
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
        let keyWidth = state.setup.keymap.labels.map { inert.line($0.key.displayName).width }.max() ?? 1
        let nameWidth = state.setup.keymap.labels.map { inert.line($0.label.name).width }.max() ?? 1
        for binding in state.setup.keymap.labels {
            var line = state.setup.isMultiLabel ? checkboxEntry(binding, state: state, keyWidth: keyWidth, nameWidth: nameWidth,
                                                                inert: inert)
                : entry(binding, state: state, inert: inert)
            if !state.setup.isMultiLabel, state.shownPrelabel?.shownLabel == binding.label.name {
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
