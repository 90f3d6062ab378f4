/// The key hints at the bottom of the browse screen, from its keybinding table.
enum BrowseFooterView {
    static func hints(_ state: BrowseState) -> [(keys: String, text: String)] {
        let keymap = state.setup.keymap
        var hints: [(keys: String, text: String)] = []
        let shown: [BrowseAction]
        switch state.page {
        case .list: shown = [.open, .search, .flaggedOnly, .help, .quit]
        case .item: shown = [.back, .help, .quit]
        }
        if case .item = state.page, !keymap.labels.isEmpty {
            hints.append((keymap.labelKeysSummary, state.setup.task == .multi ? "toggle" : "relabel"))
        }
        for action in shown {
            guard let text = action.footerText, let key = keymap.keys(for: action).first else { continue }
            hints.append((key.displayName, text))
        }
        return hints
    }

    static func line(_ state: BrowseState, width: Int) -> StyledLine {
        var line = StyledLine()
        for (index, hint) in hints(state).enumerated() {
            if index > 0 { line.append(Glyph.ascii("  "), role: .footer) }
            line.append(Glyph.ascii(hint.keys), role: .footerKey)
            line.append(Glyph.ascii(" " + hint.text), role: .footer)
        }
        return line
    }
}
