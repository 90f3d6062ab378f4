/// The browse screen's help overlay: every action with its keys, then the label keys, from the
/// keybinding table.
enum BrowseHelpView {
    static func lines(_ state: BrowseState, width: Int) -> [StyledLine] {
        let keymap = state.setup.keymap
        let inert = InertText(unicode: state.capabilities.unicode)
        var rows: [(keys: [Glyph], text: [Glyph])] = keymap.actions.map { binding in
            (inert.line(binding.keys.map(\.displayName).joined(separator: ", ")), Glyph.ascii(binding.action.helpText))
        }
        let verb = state.setup.task == .multi ? "in an open item: tick or untick in its final set (saved at once) "
            : "in an open item: relabel it "
        rows += keymap.labels.map { binding in
            (inert.line(binding.key.displayName), Glyph.ascii(verb) + inert.line(binding.label.name))
        }
        let keyColumn = min(max(8, rows.map(\.keys.width).max() ?? 0) + 2, max(8, width / 3))
        return rows.flatMap { HelpOverlayView.keyRow(keys: $0.keys, text: $0.text, keyColumn: keyColumn, width: width) }
    }

    static func draw(_ state: BrowseState, on screen: any Screen) {
        let chrome = ChromeGlyphs.for(state.capabilities)
        let probe = OverlayBox(size: state.size, width: HelpOverlayView.boxWidth, contentRows: 0)
        let content = lines(state, width: probe.contentWidth)
        let box = OverlayBox(size: state.size, width: HelpOverlayView.boxWidth, contentRows: content.count)
        let close = state.setup.keymap.keys(for: .help).first?.displayName ?? "?"
        box.draw(title: "Keys", hint: "Esc or \(close) closes", chrome: chrome, on: screen)
        for (offset, line) in content.prefix(box.contentRows).enumerated() {
            screen.draw(line, row: box.firstContentRow + offset, column: box.contentColumn, maxWidth: box.contentWidth)
        }
    }
}
