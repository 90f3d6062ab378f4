import AnnottyCore

/// Draws the browse screen for a state; the same state always gives the same picture.
public enum BrowseView {
    public static func render(_ state: BrowseState, on screen: any Screen) {
        screen.clear()
        let layout = BrowseLayout(size: state.size)
        guard layout.fits else {
            TooSmallView.draw(size: state.size, on: screen)
            screen.present()
            return
        }
        drawTitle(state, on: screen)
        switch state.page {
        case .list:
            drawFilter(state, layout: layout, on: screen)
            BrowseListView.draw(state, layout: layout, on: screen)
        case .item(let opened, let scroll):
            BrowseItemView.draw(opened, scroll: scroll, state: state, layout: layout, on: screen)
        }
        drawMessage(state, layout: layout, on: screen)
        screen.draw(BrowseFooterView.line(state, width: layout.size.columns - 2), row: layout.footerRow, column: 1,
                    maxWidth: layout.size.columns - 2)
        if state.showsHelp { BrowseHelpView.draw(state, on: screen) }
        screen.present()
    }

    static func drawTitle(_ state: BrowseState, on screen: any Screen) {
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        let columns = state.size.columns
        screen.fill(row: 0, column: 0, width: columns, role: .titleBar)
        var right = ""
        if case .item(let opened, _) = state.page {
            right = "item \(opened.item.id)"
            if let external = opened.item.externalId, !external.isEmpty { right += " (\(external))" }
            right += chrome.separator
        }
        let rightGlyphs = inert.line(right + state.setup.annotator + " ")
        let rightWidth = min(rightGlyphs.width, max(0, columns - 12))
        let left = inert.line(" annotty" + chrome.separator + state.setup.projectName + chrome.separator + "browse")
        screen.draw(left, row: 0, column: 0, maxWidth: columns - rightWidth - 1, role: .titleBar)
        if rightWidth == rightGlyphs.width {
            screen.draw(rightGlyphs, row: 0, column: columns - rightWidth, maxWidth: rightWidth, role: .titleBar)
        }
    }

    /// "42 items · state open · label positive · search "blender"".
    static func filterSummary(_ state: BrowseState) -> String {
        let chrome = ChromeGlyphs.for(state.capabilities)
        let filter = state.filter
        var parts: [String] = []
        if let total = state.total {
            parts.append(total == 1 ? "1 item" : "\(total) items")
        } else {
            parts.append("counting" + chrome.ellipsis)
        }
        if let value = filter.state { parts.append("state \(value.rawValue)") }
        if let value = filter.label { parts.append("label \(value)") }
        if let value = filter.decidedBy { parts.append("decided by \(value.rawValue)") }
        if let value = filter.annotator { parts.append("annotator \(value)") }
        if filter.minimumConfidence != nil || filter.maximumConfidence != nil {
            let low = filter.minimumConfidence.map { String(format: "%.2f", $0) } ?? "0"
            let high = filter.maximumConfidence.map { String(format: "%.2f", $0) } ?? "1"
            parts.append("confidence \(low)-\(high)")
        }
        if filter.flaggedOnly { parts.append("flagged") }
        if filter.disagreementOnly { parts.append("disagreement") }
        if let search = filter.search { parts.append("search \"\(search)\"") }
        return parts.joined(separator: chrome.separator)
    }

    static func drawFilter(_ state: BrowseState, layout: BrowseLayout, on screen: any Screen) {
        let inert = InertText(unicode: state.capabilities.unicode)
        screen.draw(inert.line(filterSummary(state)), row: layout.filterRow, column: 1, maxWidth: layout.size.columns - 2,
                    role: .heading)
    }

    static func drawMessage(_ state: BrowseState, layout: BrowseLayout, on screen: any Screen) {
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        let width = layout.size.columns - 2
        if let draft = state.searchDraft {
            var line = StyledLine(Glyph.ascii("Search: "), role: .heading)
            line.append(inert.line(draft), role: .normal)
            line.append(inert.line(chrome.cursor), role: .normal)
            line.append(Glyph.ascii("  Enter applies, Esc cancels"), role: .dim)
            screen.draw(line, row: layout.messageRow, column: 1, maxWidth: width)
            return
        }
        guard let message = state.message else { return }
        let line: StyledLine
        switch message {
        case .relabelled(let itemId, let rawFrom, let rawTo, let rawFinal):
            let from = rawFrom.map(state.setup.display), to = state.setup.display(rawTo), final = rawFinal.map(state.setup.display)
            if let final, final != to {
                // Saved, but other people's labels outvote it (or tie): say so.
                line = StyledLine(inert.line("\(chrome.check) item \(itemId): your \(to) is saved; the final label stays \(final): "
                    + "people disagree (annotty review settles it)"), role: .warning)
            } else {
                let what = from.map { $0 == to ? "labelled \(to) again" : "relabelled: \($0) \(chrome.arrow) \(to)" } ?? "labelled \(to)"
                line = StyledLine(inert.line("\(chrome.check) item \(itemId) \(what)"), role: .success)
            }
        case .emptySetRefused:
            line = StyledLine(Glyph.ascii("The final set needs at least one label (allow_empty_set = false): tick another first."),
                              role: .warning)
        case .nothingSelected:
            line = StyledLine(Glyph.ascii("No item here: change the filter or the search."), role: .warning)
        case .openAnItemToRelabel:
            let open = state.setup.keymap.keys(for: .open).first?.displayName ?? "Enter"
            line = StyledLine(Glyph.ascii("Open an item (\(open)) to relabel it."), role: .warning)
        case .spansEditedInLabel:
            line = StyledLine(Glyph.ascii("Spans are not changed here: undo the decision and mark them again in annotty label."),
                              role: .warning)
        case .unboundKey(let key):
            let help = state.setup.keymap.keys(for: .help).first?.displayName ?? "?"
            line = StyledLine(inert.line("Key \(key.displayName) does nothing here; \(help) lists the keys."), role: .warning)
        case .storeFailed(let reason):
            var failed = StyledLine(Glyph.ascii("Not saved: "), role: .error)
            failed.append(inert.line(reason), role: .error)
            line = failed
        }
        screen.draw(line, row: layout.messageRow, column: 1, maxWidth: width)
    }
}
