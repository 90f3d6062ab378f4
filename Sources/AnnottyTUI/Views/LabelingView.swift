/// Draws the whole labeling screen for a state. Pure with respect to the state: the same state
/// on the same screen size always gives the same picture.
public enum LabelingView {
    public static func render(_ state: LabelingState, on screen: any Screen) {
        screen.clear()
        let layout = LabelingLayout(state: state)
        guard layout.fits else {
            TooSmallView.draw(size: state.size, on: screen)
            screen.present()
            return
        }
        if case .guidelines(let scroll) = state.overlay {
            GuidelinesOverlayView.draw(state, scroll: scroll, on: screen)
            screen.present()
            return
        }
        let chrome = ChromeGlyphs.for(state.capabilities)
        TitleBarView.draw(state, on: screen)
        if state.current == nil, ListDoneView.applies(state) {
            ListDoneView.draw(state, layout: layout, on: screen)
        } else {
            ItemView.draw(state, layout: layout, on: screen)
        }
        ItemDetailsView.draw(state, layout: layout, on: screen)
        screen.draw([Glyph](repeating: Glyph(chrome.horizontalRule, width: 1), count: state.size.columns),
                    row: layout.separatorRow, column: 0, role: .dim)
        PrelabelView.draw(state, layout: layout, on: screen)
        LabelListView.draw(state, layout: layout, on: screen)
        MessageView.draw(state, layout: layout, on: screen)
        LLMNoteView.draw(state, layout: layout, on: screen)
        StatusLineView.draw(state, layout: layout, on: screen)
        FooterView.draw(state, layout: layout, on: screen)
        switch state.overlay {
        case .help(let scroll):
            HelpOverlayView.draw(state, scroll: scroll, on: screen)
        case .flagNote(let note):
            FlagNoteView.draw(state, note: note, on: screen)
        case .guidelines, nil:
            break
        }
        screen.present()
    }
}
