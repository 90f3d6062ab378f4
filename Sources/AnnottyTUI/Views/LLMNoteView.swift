import AnnottyCore

/// Why the LLM is slow or failing, on rows of its own above the status line, wrapped rather
/// than cut ("LLM: HTTP 429, retrying in 4 s").
enum LLMNoteView {
    /// At most this many rows; a longer reason ends in an ellipsis.
    static let maximumRows = 2

    static func lines(_ state: LabelingState, width: Int) -> [StyledLine] {
        let llm = state.llmStatus
        guard llm.state == .slow || llm.state == .failing, let reason = llm.reason, !reason.isEmpty, width > 0 else { return [] }
        let inert = InertText(unicode: state.capabilities.unicode)
        let role: TextRole = llm.state == .failing ? .error : .warning
        let wrapped = TextWrapper.wrap(paragraph: Glyph.ascii("LLM: ") + inert.line(reason), width: width)
        var lines = wrapped.prefix(maximumRows).map { StyledLine($0, role: role) }
        if wrapped.count > maximumRows, var last = lines.popLast() {
            // Let the screen cut the last row with its ellipsis.
            last.append(Glyph.ascii("  "), role: role)
            last.append(wrapped[maximumRows], role: role)
            lines.append(last)
        }
        return lines
    }

    static func draw(_ state: LabelingState, layout: LabelingLayout, on screen: any Screen) {
        let width = layout.size.columns - 2
        for (offset, line) in lines(state, width: width).prefix(layout.llmNoteRows).enumerated() {
            screen.draw(line, row: layout.llmNoteRow + offset, column: 1, maxWidth: width)
        }
    }
}
