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
        let verb = state.setup.isSpans ? "mark the selected words as, or retype the span to, "
            : state.setup.isMultiLabel ? "tick or untick " : state.setup.mode == .review ? "final label "
            : state.setup.mode == .audit ? "the label is " : "label as "
        let labelRows = keymap.labels.map { binding in
            (keys: inert.line(binding.key.displayName), text: Glyph.ascii(verb) + inert.line(binding.label.name))
        }
        let keyColumn = min(max(8, (rows + labelRows).map(\.keys.width).max() ?? 0) + 2, max(8, width / 3))
        var lines: [StyledLine] = []
        func add(_ row: (keys: [Glyph], text: [Glyph])) {
            lines += keyRow(keys: row.keys, text: row.text, keyColumn: keyColumn, width: width)
        }
        if state.setup.isSpans {
            rows = spanHelpRows(keymap, inert: inert)
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
            let note = state.setup.isSpans ? spansNote : state.setup.isMultiLabel ? multiLabelConfidenceNote : confidenceNote
            for part in TextWrapper.wrap(paragraph: Glyph.ascii(note),
                                         width: width) {
                lines.append(StyledLine(part, role: .normal))
            }
        }
        return lines
    }

    /// Entity spans: what the marks mean and what Enter saves.
    static let spansNote = "[text]TYPE is a span you accepted or made; {text}TYPE is a proposal from the pre-label, "
        + "not yet checked. Enter saves every span shown, proposals included (reject the wrong ones first); "
        + "the number beside the pre-label is its least sure span's confidence."

    /// Entity spans: every key of the screen, actions first, then the span keys the keymap leaves free.
    static func spanHelpRows(_ keymap: Keymap, inert: InertText) -> [(keys: [Glyph], text: [Glyph])] {
        var rows: [(keys: [Glyph], text: [Glyph])] = []
        func keys(_ list: [KeyPress]) -> [Glyph] { inert.line(list.map(\.displayName).joined(separator: ", ")) }
        let actionText: [KeyAction: String] = [
            .accept: "save the spans shown (accepted and proposed) as this item's answer",
            .undo: "undo the last span edit; with none left, the last decision",
            .reject: "reject the selected proposal or delete the selected span",
        ]
        for binding in keymap.actions where !binding.keys.isEmpty && binding.action != .other {
            rows.append((keys(binding.keys), Glyph.ascii(actionText[binding.action] ?? binding.action.helpText)))
        }
        let spanRows: [([KeyPress], String)] = [
            (SpanKeys.wordLeft, "move the word cursor one word left"),
            (SpanKeys.wordRight, "move the word cursor one word right"),
            (SpanKeys.extendRight, "extend the selection one word to the right"),
            (SpanKeys.extendLeft, "take one word back (or extend to the left)"),
            (SpanKeys.nextSpan, "select the next span"),
            (SpanKeys.previousSpan, "select the previous span"),
            (SpanKeys.acceptSpan, "accept the selected proposal and go to the next"),
            (SpanKeys.acceptAll, "accept every proposal"),
            (SpanKeys.removeSpan, "reject the selected proposal or delete the selected span"),
            (SpanKeys.clearFocus, "clear the selection"),
        ]
        for (list, text) in spanRows {
            let free = list.filter { keymap.command(for: $0) == nil }
            if !free.isEmpty { rows.append((keys(free), Glyph.ascii(text))) }
        }
        return rows
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
