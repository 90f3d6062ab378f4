/// The top bar: the project on the left, the item and the annotator on the right.
enum TitleBarView {
    /// Columns the right side leaves for the project name at least; the name keeps up to half
    /// the bar when the right side is long.
    static let leftMinimum = 12

    static func draw(_ state: LabelingState, on screen: any Screen) {
        let columns = screen.size.columns
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        screen.fill(row: 0, column: 0, width: columns, role: .titleBar)
        let mode = state.setup.mode == .label ? "" : chrome.separator + state.setup.mode.rawValue
        let left = inert.line(" annotty" + chrome.separator + String(state.setup.projectName.prefix(columns)) + mode)
        let leftKept = max(leftMinimum, min(left.width + 1, columns / 2))
        let rightGlyphs = right(state, inert: inert, chrome: chrome, limit: max(0, columns - leftKept))
        screen.draw(left, row: 0, column: 0, maxWidth: columns - rightGlyphs.width - 1, role: .titleBar)
        if !rightGlyphs.isEmpty {
            screen.draw(rightGlyphs, row: 0, column: columns - rightGlyphs.width, maxWidth: rightGlyphs.width, role: .titleBar)
        }
    }

    /// "item 12 (external-id) · alice ", within `limit` columns: an external id or annotator
    /// name too long for the bar (ids of 300 characters exist) is cut with an ellipsis rather
    /// than pushing the whole right side off the bar.
    static func right(_ state: LabelingState, inert: InertText, chrome: ChromeGlyphs, limit: Int) -> [Glyph] {
        let ellipsis = inert.line(chrome.ellipsis)
        var annotator = inert.line(state.setup.annotator)
        var prefix: [Glyph] = []
        var external: [Glyph] = []
        var suffix: [Glyph] = []
        if let item = state.current?.item {
            prefix = Glyph.ascii("item \(item.id)")
            if let id = item.externalId, !id.isEmpty {
                prefix += Glyph.ascii(" (")
                // Only what could ever fit is turned into glyphs.
                external = inert.line(String(id.prefix(limit + 1)))
                suffix = Glyph.ascii(")")
            }
            suffix += inert.line(chrome.separator)
        }
        let trailing = Glyph.ascii(" ")
        let fixed = prefix.width + suffix.width + trailing.width
        let room = limit - fixed
        if external.width + annotator.width > room {
            // The annotator keeps up to half the room (more if the id needs less); the id the rest.
            let annotatorShare = min(annotator.width, max(room - external.width, room / 2))
            annotator = cut(annotator, to: max(0, annotatorShare), ellipsis: ellipsis)
            external = cut(external, to: max(0, room - annotator.width), ellipsis: ellipsis)
        }
        let glyphs = prefix + external + suffix + annotator + trailing
        return glyphs.width <= limit ? glyphs : []
    }

    static func cut(_ glyphs: [Glyph], to width: Int, ellipsis: [Glyph]) -> [Glyph] {
        guard glyphs.width > width else { return glyphs }
        guard width > ellipsis.width else { return [] }
        var kept: [Glyph] = []
        var used = 0
        for glyph in glyphs {
            if used + glyph.width > width - ellipsis.width { break }
            kept.append(glyph)
            used += glyph.width
        }
        return kept + ellipsis
    }
}
