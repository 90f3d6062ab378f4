/// What the item area says when an audit sample or a review list has been worked through: the
/// list is done (it does not wait for new items, as the queue does), and what quitting does.
enum ListDoneView {
    static func applies(_ state: LabelingState) -> Bool {
        state.setup.mode != .label && state.queueExhausted && !state.claimInFlight
    }

    static func text(_ state: LabelingState) -> String {
        let quitKey = state.setup.keymap.keys(for: .quit).first?.displayName ?? "q"
        let checked = state.counters.labelled
        switch state.setup.mode {
        case .audit:
            let of = state.setup.listedItemCount.map { " of \($0)" } ?? ""
            return "The audit sample is done: \(checked)\(of) items checked. "
                + "Press \(quitKey) to quit and see the estimated error rate of the auto-accepted items."
        case .review:
            let of = state.setup.listedItemCount.map { " of \($0)" } ?? ""
            return "This review is done: \(checked)\(of) items settled. Press \(quitKey) to quit."
        case .label:
            return ""
        }
    }

    static func draw(_ state: LabelingState, layout: LabelingLayout, on screen: any Screen) {
        let area = layout.item
        let lines = TextWrapper.wrap(paragraph: Glyph.ascii(text(state)), width: area.columns)
        for (offset, line) in lines.prefix(area.rows).enumerated() {
            screen.draw(line, row: area.row + offset, column: area.column, maxWidth: area.columns, role: .dim)
        }
    }
}
