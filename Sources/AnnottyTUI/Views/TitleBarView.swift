/// The top bar: the project on the left, the item and the annotator on the right.
enum TitleBarView {
    static func draw(_ state: LabelingState, on screen: any Screen) {
        let columns = screen.size.columns
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        screen.fill(row: 0, column: 0, width: columns, role: .titleBar)
        var right = ""
        if let item = state.current?.item {
            right = "item \(item.id)"
            if let external = item.externalId, !external.isEmpty { right += " (\(external))" }
            right += chrome.separator
        }
        right += state.setup.annotator + " "
        let rightGlyphs = inert.line(right)
        let mode = state.setup.mode == .label ? "" : chrome.separator + state.setup.mode.rawValue
        let left = inert.line(" annotty" + chrome.separator + state.setup.projectName + mode)
        let rightWidth = min(rightGlyphs.width, max(0, columns - 12))
        screen.draw(left, row: 0, column: 0, maxWidth: columns - rightWidth - 1, role: .titleBar)
        if rightWidth == rightGlyphs.width {
            screen.draw(rightGlyphs, row: 0, column: columns - rightWidth, maxWidth: rightWidth, role: .titleBar)
        }
    }
}
