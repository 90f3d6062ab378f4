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
            let text = state.setup.isMultiLabel ? multiLabelHelp(binding.action, state: state)
                : binding.action == .accept ? state.setup.acceptHelp ?? binding.action.helpText(in: state.setup.mode)
                : binding.action.helpText(in: state.setup.mode)
            rows.append((inert.line(binding.keys.map(\.displayName).joined(separator: ", ")), Glyph.ascii(text)))
        }
        let verb = state.setup.isMultiLabel ? "tick or untick " : state.setup.mode == .review ? "final label "
            : state.setup.mode == .audit ? "the label is " : "label as "
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
            let heading = state.setup.isMultiLabel ? multiLabelHeading(state) : labelsHeading(state.setup.mode)
            for part in TextWrapper.wrap(paragraph: Glyph.ascii(heading),
                                         width: width) {
                lines.append(StyledLine(part, role: .heading))
            }
            labelRows.forEach(add)
        }
        if state.setup.mode == .label {
            lines.append(StyledLine())
            for part in TextWrapper.wrap(paragraph: Glyph.ascii(state.setup.isMultiLabel ? multiLabelConfidenceNote : confidenceNote),
                                         width: width) {
                lines.append(StyledLine(part, role: .normal))
            }
        }
        return lines
    }

    /// What the number beside the pre-label means (issue 12: "0.00" with no explanation).
    static let confidenceNote = "The number beside the pre-label is its confidence: calibrated on the labels "
        + "people gave (how often pre-labels shown with that number were right) once a calibrator beats the "
        + "model's raw probability on held-out outcomes; until then it is the model's raw probability."

    /// Multi-label: what the numbers beside the labels and the pre-label mean.
    static let multiLabelConfidenceNote = "The number beside each label is the pre-label's probability that the label "
        + "is in the item's set, calibrated per label on the sets people gave once a calibration exists; "
        + LabelListView.predictedInMarker + " marks the labels it predicts in, which start ticked. The number beside the "
        + "pre-label is the set's confidence: that of its least certain label (the larger of p and 1 - p)."

    /// Multi-label: the help line of an action, where it differs from single-label projects.
    static func multiLabelHelp(_ action: KeyAction, state: LabelingState) -> String {
        let empty = state.setup.allowEmptySet ? "an empty set is a valid answer" : "at least one label must be ticked"
        switch (action, state.setup.mode) {
        case (.accept, .audit): return "confirm or correct: save the ticked set as the audit's answer (\(empty))"
        case (.accept, .review): return "save the ticked set as the item's final set (\(empty))"
        case (.accept, _): return "save the ticked set: an accept when it is the pre-label's set, else a correction (\(empty))"
        case (.undo, _): return "revert the last toggle on this item; with none, undo the last decision "
            + "(its item comes back with the set it was given ticked); repeat to go further back"
        case (.reject, _): return "single-label projects only; here untick the wrong labels and save the set"
        case (.other, _): return "take the other opinion: single-label projects only"
        default: return action.helpText(in: state.setup.mode)
        }
    }

    static func multiLabelHeading(_ state: LabelingState) -> String {
        let accept = state.setup.keymap.keys(for: .accept).first?.displayName ?? "Enter"
        return "Labels: a label's key ticks or unticks it (nothing is saved yet); \(accept) saves the ticked set."
    }

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
