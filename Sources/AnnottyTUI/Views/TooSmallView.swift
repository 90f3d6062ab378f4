/// What a window below the minimum size shows instead of a squeezed screen.
enum TooSmallView {
    static func lines(size: ScreenSize) -> [[Glyph]] {
        let text = "This window is \(size.columns)x\(size.rows). annotty needs at least "
            + "\(LabelingLayout.minimumColumns)x\(LabelingLayout.minimumRows). Make it larger; your work is saved."
        return TextWrapper.wrap(paragraph: Glyph.ascii(text), width: max(1, min(size.columns - 2, 40)))
    }

    static func draw(size: ScreenSize, on screen: any Screen) {
        let lines = lines(size: size).prefix(max(0, size.rows))
        let top = max(0, (size.rows - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let column = max(0, (size.columns - line.width) / 2)
            screen.draw(line, row: top + offset, column: column, maxWidth: size.columns - column, role: .warning)
        }
    }
}
