/// A bordered box drawn over the screen, with a title in its top border and a hint in its bottom.
struct OverlayBox {
    var region: Region

    /// A box `width` wide (at most the screen less a margin) and tall enough for `contentRows`.
    init(size: ScreenSize, width: Int, contentRows: Int) {
        let boxWidth = min(width, size.columns - 2)
        let boxHeight = min(contentRows + 2, size.rows - 2)
        region = Region(row: max(0, (size.rows - boxHeight) / 2), column: max(0, (size.columns - boxWidth) / 2),
                        rows: boxHeight, columns: boxWidth)
    }

    /// Content starts one column in from the border.
    var contentColumn: Int { region.column + 2 }
    var contentWidth: Int { region.columns - 4 }
    var contentRows: Int { region.rows - 2 }
    var firstContentRow: Int { region.row + 1 }

    func draw(title: String, hint: String, chrome: ChromeGlyphs, on screen: any Screen) {
        let width = region.columns
        guard width >= 2, region.rows >= 2 else { return }
        let rule = String(repeating: chrome.horizontalRule, count: max(0, width - 2))
        let top = region.row
        let bottom = region.row + region.rows - 1
        screen.draw(chrome.topLeft + rule + chrome.topRight, row: top, column: region.column, maxWidth: width, role: .overlayBorder)
        screen.draw(chrome.bottomLeft + rule + chrome.bottomRight, row: bottom, column: region.column, maxWidth: width,
                    role: .overlayBorder)
        for row in (top + 1)..<bottom {
            screen.draw(chrome.verticalRule, row: row, column: region.column, role: .overlayBorder)
            screen.fill(row: row, column: region.column + 1, width: width - 2, role: .normal)
            screen.draw(chrome.verticalRule, row: row, column: region.column + width - 1, role: .overlayBorder)
        }
        screen.draw(" " + title + " ", row: top, column: region.column + 2, maxWidth: width - 4, role: .heading)
        let hintWidth = min(hint.count + 2, width - 4)
        screen.draw(" " + hint + " ", row: bottom, column: region.column + width - 2 - hintWidth, maxWidth: hintWidth,
                    role: .dim)
    }
}
