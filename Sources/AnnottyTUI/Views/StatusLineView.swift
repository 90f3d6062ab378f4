import Foundation
import AnnottyCore

/// The status bar. In the queue: this session's labels ("you 29"), the project's progress
/// ("project 31/300 (10%)"), items per hour, auto-accepted, the prediction queue and the LLM's
/// state. In an audit or a review: how many were checked and how many of the list are left.
/// The LLM's reason, when it has one, gets rows of its own (`LLMNoteView`), never cut here.
enum StatusLineView {
    static func line(_ state: LabelingState) -> StyledLine {
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        let counters = state.counters
        let rate = state.throughput.itemsPerHour(at: state.clock).map { String(Int($0.rounded())) } ?? "-"
        var parts: [String]
        if state.setup.mode != .label, let listed = state.setup.listedItemCount {
            let verb = state.setup.mode == .audit ? "audited" : "reviewed"
            parts = ["\(verb) \(counters.labelled)", "left \(max(0, listed - counters.done)) of \(listed)", "\(rate)/h"]
        } else {
            let project: String
            if let progress = counters.projectProgress {
                let percent = progress.total == 0 ? 100 : progress.closed * 100 / progress.total
                project = "project \(progress.closed)/\(progress.total) (\(percent)%)"
            } else {
                project = "project ?"
            }
            parts = [
                "you \(counters.labelled)",
                project,
                "\(rate)/h",
                "auto \(counters.autoAccepted.map(String.init) ?? "?")",
                "queue \(state.llmStatus.queueDepth)",
            ]
        }
        var line = StyledLine(inert.line(" " + parts.joined(separator: chrome.separator) + chrome.separator), role: .statusBar)
        let llm = state.llmStatus
        switch llm.state {
        case .off:
            line.append(Glyph.ascii("LLM off"), role: .statusBar)
        case .starting:
            line.append(Glyph.ascii("LLM starting"), role: .statusBar)
        case .ready:
            line.append(Glyph.ascii("LLM ready"), role: .statusBar)
        case .slow:
            var text = "LLM slow"
            if let median = llm.medianLatencyMs { text += String(format: " (%.1f s)", median / 1000) }
            line.append(Glyph.ascii(text), role: .statusWarning)
        case .failing:
            line.append(Glyph.ascii("LLM failing"), role: .statusError)
        }
        return line
    }

    static func draw(_ state: LabelingState, layout: LabelingLayout, on screen: any Screen) {
        screen.fill(row: layout.statusRow, column: 0, width: layout.size.columns, role: .statusBar)
        screen.draw(line(state), row: layout.statusRow, column: 0, maxWidth: layout.size.columns)
    }
}
