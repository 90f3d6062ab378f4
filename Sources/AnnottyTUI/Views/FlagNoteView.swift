/// The prompt for a flag's optional note.
enum FlagNoteView {
    static func draw(_ state: LabelingState, note: String, on screen: any Screen) {
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        let box = OverlayBox(size: state.size, width: 70, contentRows: 3)
        box.draw(title: "Flag item \(state.current?.item.id ?? 0)", hint: "Enter flags\(chrome.separator)Esc cancels",
                 chrome: chrome, on: screen)
        screen.draw("Why flag it? A note is optional.", row: box.firstContentRow, column: box.contentColumn,
                    maxWidth: box.contentWidth, role: .normal)
        // Show the end of a long note: that is where the typing happens.
        var glyphs = inert.line(note)
        let room = box.contentWidth - 3
        while glyphs.width > room, !glyphs.isEmpty { glyphs.removeFirst() }
        var line = StyledLine(Glyph.ascii("> "), role: .key)
        line.append(glyphs, role: .normal)
        line.append(inert.line(chrome.cursor), role: .key)
        screen.draw(line, row: box.firstContentRow + 2, column: box.contentColumn, maxWidth: box.contentWidth)
    }
}
