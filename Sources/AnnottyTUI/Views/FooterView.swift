/// The key hints at the bottom, from the keybinding table. When the window is too narrow for all
/// of them the least needed go first; the help key always stays.
enum FooterView {
    struct Hint {
        var keys: String
        var text: String
        var action: KeyAction?
    }

    /// Dropped in this order when the footer does not fit.
    static let dropOrder: [KeyAction?] = [.flag, .guidelines, .undo, .reject, .skip, .quit, nil, .accept]

    /// `multiLabel`: Enter saves the ticked set and label keys toggle; reject and other opinion
    /// do nothing there, so they get no hint.
    static func hints(_ keymap: Keymap, mode: LabelingMode = .label, multiLabel: Bool = false) -> [Hint] {
        var hints: [Hint] = []
        for binding in keymap.actions {
            if multiLabel, binding.action == .reject || binding.action == .other { continue }
            guard var text = binding.action.footerText(in: mode), let key = binding.keys.first else { continue }
            if multiLabel, binding.action == .accept { text = "save" }
            hints.append(Hint(keys: key.displayName, text: text, action: binding.action))
            if binding.action == .accept, !keymap.labels.isEmpty {
                hints.append(Hint(keys: keymap.labelKeysSummary, text: multiLabel ? "toggle" : "label", action: nil))
            }
        }
        return hints
    }

    static func line(_ keymap: Keymap, width: Int, mode: LabelingMode = .label, multiLabel: Bool = false) -> StyledLine {
        var hints = hints(keymap, mode: mode, multiLabel: multiLabel)
        func widthOf(_ hints: [Hint]) -> Int {
            hints.reduce(0) { $0 + $1.keys.count + 1 + $1.text.count } + max(0, hints.count - 1) * 2
        }
        var order = dropOrder.makeIterator()
        while widthOf(hints) > width, let next = order.next() {
            hints.removeAll { $0.action == next }
        }
        var line = StyledLine()
        for (index, hint) in hints.enumerated() {
            if index > 0 { line.append(Glyph.ascii("  "), role: .footer) }
            line.append(Glyph.ascii(hint.keys), role: .footerKey)
            line.append(Glyph.ascii(" " + hint.text), role: .footer)
        }
        return line
    }

    /// Entity spans: the span keys (only those the keymap leaves free), then the actions.
    static func spanHints(_ keymap: Keymap) -> [Hint] {
        var hints: [Hint] = []
        if let key = keymap.keys(for: .accept).first { hints.append(Hint(keys: key.displayName, text: "save", action: .accept)) }
        func add(_ keys: [KeyPress], _ text: String, alongside: [KeyPress] = []) {
            guard let key = SpanKeys.free(keys, in: keymap) else { return }
            let other = SpanKeys.free(alongside, in: keymap).map { "/" + short($0) } ?? ""
            hints.append(Hint(keys: short(key) + other, text: text, action: nil))
        }
        // The arrows as ASCII arrows: "Left/Right" would take a fifth of an 80-column footer.
        func short(_ key: KeyPress) -> String {
            key == .left ? "<-" : key == .right ? "->" : key.displayName
        }
        add(SpanKeys.wordLeft, "word", alongside: SpanKeys.wordRight)
        add(SpanKeys.extendRight, "extend")
        if !keymap.labels.isEmpty { hints.append(Hint(keys: keymap.labelKeysSummary, text: "type", action: nil)) }
        add(SpanKeys.nextSpan, "span")
        add(SpanKeys.acceptSpan, "ok")
        add(SpanKeys.removeSpan, "reject")
        add(SpanKeys.acceptAll, "all")
        for action in [KeyAction.undo, .skip, .help, .quit] {
            if let key = keymap.keys(for: action).first, let text = action.footerText {
                hints.append(Hint(keys: key.displayName, text: text, action: action))
            }
        }
        return hints
    }

    static func spansLine(_ keymap: Keymap, width: Int) -> StyledLine {
        var hints = spanHints(keymap)
        func widthOf(_ hints: [Hint]) -> Int {
            hints.reduce(0) { $0 + $1.keys.count + 1 + $1.text.count } + max(0, hints.count - 1) * 2
        }
        // The help lists every key; the footer keeps the ones an item needs most.
        // With single spaces between hints where two do not fit.
        func tightWidth(_ hints: [Hint]) -> Int { widthOf(hints) - max(0, hints.count - 1) }
        for text in ["all", "skip", "quit", "undo", "extend"] where tightWidth(hints) > width {
            hints.removeAll { $0.text == text }
        }
        var line = StyledLine()
        for (index, hint) in hints.enumerated() {
            if index > 0 { line.append(Glyph.ascii(widthOf(hints) + hints.count <= width ? "  " : " "), role: .footer) }
            line.append(Glyph.ascii(hint.keys), role: .footerKey)
            line.append(Glyph.ascii(" " + hint.text), role: .footer)
        }
        return line
    }

    static func draw(_ state: LabelingState, layout: LabelingLayout, on screen: any Screen) {
        if state.setup.isSpans {
            screen.draw(spansLine(state.setup.keymap, width: layout.size.columns - 2), row: layout.footerRow, column: 1,
                        maxWidth: layout.size.columns - 2)
            return
        }
        screen.draw(line(state.setup.keymap, width: layout.size.columns - 2, mode: state.setup.mode,
                         multiLabel: state.setup.isMultiLabel), row: layout.footerRow, column: 1,
                    maxWidth: layout.size.columns - 2)
    }
}
