/// The help overlay (`?`): every action with its keys, then every label with its key, straight
/// from the keybinding table.
enum HelpOverlayView {
    static let boxWidth = 76

    /// One help row: the keys in their column, the text wrapped beside them. Shared by every
    /// screen's help overlay.
    static func keyRow(keys: [Glyph], text: [Glyph], keyColumn: Int, width: Int) -> [StyledLine] {
        TextWrapper.wrap(paragraph: text, width: max(1, width - keyColumn)).enumerated().map { index, part in
            var line = StyledLine()
            if index == 0 {
                line.append(keys, role: .key)
                line.append([Glyph](repeating: .space, count: max(1, keyColumn - keys.width)), role: .normal)
            } else {
                line.append([Glyph](repeating: .space, count: keyColumn), role: .normal)
            }
            line.append(part, role: .normal)
            return line
        }
    }

    static func lines(_ state: LabelingState, width: Int) -> [StyledLine] {
        let keymap = state.setup.keymap
        let inert = InertText(unicode: state.capabilities.unicode)
        var rows: [(keys: [Glyph], text: [Glyph])] = []
        for binding in keymap.actions where !binding.keys.isEmpty {
            rows.append((inert.line(binding.keys.map(\.displayName).joined(separator: ", ")),
                         Glyph.ascii(binding.action == .accept ? state.setup.acceptHelp ?? binding.action.helpText(in: state.setup.mode)
                                     : binding.action.helpText(in: state.setup.mode))))
        }
        let verb = state.setup.mode == .review ? "final label " : state.setup.mode == .audit ? "the label is " : "label as "
        let labelRows = keymap.labels.map { binding in
            (keys: inert.line(binding.key.displayName), text: Glyph.ascii(verb) + inert.line(binding.label.name))
        }
        let keyColumn = min(max(8, (rows + labelRows).map(\.keys.width).max() ?? 0) + 2, max(8, width / 3))
        var lines: [StyledLine] = []
        func add(_ row: (keys: [Glyph], text: [Glyph])) {
            lines += keyRow(keys: row.keys, text: row.text, keyColumn: keyColumn, width: width)
        }
        rows.forEach(add)
        if !labelRows.isEmpty {
            lines.append(StyledLine())
            for part in TextWrapper.wrap(paragraph: Glyph.ascii(labelsHeading(state.setup.mode)),
                                         width: width) {
                lines.append(StyledLine(part, role: .heading))
            }
            labelRows.forEach(add)
        }
        if state.setup.mode == .label {
            lines.append(StyledLine())
            for part in TextWrapper.wrap(paragraph: Glyph.ascii(confidenceNote), width: width) {
                lines.append(StyledLine(part, role: .normal))
            }
        }
        return lines
    }

    /// What the number beside the pre-label means (issue 12: "0.00" with no explanation).
    static let confidenceNote = "The number beside the pre-label is its confidence: calibrated on the labels "
        + "people gave (how often pre-labels shown with that number were right) once a calibrator beats the "
        + "model's raw probability on held-out outcomes; until then it is the model's raw probability."

    static func labelsHeading(_ mode: LabelingMode) -> String {
        switch mode {
        case .label: return "Labels: the pre-label's own key accepts it, any other corrects it."
        case .audit: return "Labels: the shown label's own key confirms it, any other corrects it."
        case .review: return "Labels: a label's key makes it the item's final label, whatever the votes."
        }
    }

    static func box(_ state: LabelingState) -> OverlayBox {
        let probe = OverlayBox(size: state.size, width: boxWidth, contentRows: 0)
        let count = lines(state, width: probe.contentWidth).count
        return OverlayBox(size: state.size, width: boxWidth, contentRows: count)
    }

    static func visibleRows(_ state: LabelingState) -> Int {
        box(state).contentRows
    }

    static func maximumScroll(_ state: LabelingState) -> Int {
        let box = box(state)
        return max(0, lines(state, width: box.contentWidth).count - box.contentRows)
    }

    static func draw(_ state: LabelingState, scroll: Int, on screen: any Screen) {
        let chrome = ChromeGlyphs.for(state.capabilities)
        let box = box(state)
        let content = lines(state, width: box.contentWidth)
        let keymap = state.setup.keymap
        let close = keymap.keys(for: .help).first?.displayName ?? "?"
        var hint = "Esc or \(close) closes"
        if content.count > box.contentRows {
            let down = keymap.keys(for: .scrollDown).first?.displayName ?? "Down"
            hint = "\(down) scrolls\(chrome.separator)" + hint
        }
        box.draw(title: "Keys", hint: hint, chrome: chrome, on: screen)
        for (offset, line) in content.dropFirst(scroll).prefix(box.contentRows).enumerated() {
            screen.draw(line, row: box.firstContentRow + offset, column: box.contentColumn, maxWidth: box.contentWidth)
        }
    }
}
