import Foundation
import AnnottyCore

/// The status bar: done and left, items per hour, auto-accepted, the prediction queue and the LLM.
enum StatusLineView {
    static func line(_ state: LabelingState) -> StyledLine {
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        let counters = state.counters
        let rate = state.throughput.itemsPerHour(at: state.clock).map { String(Int($0.rounded())) } ?? "-"
        var parts = [
            "done \(counters.done)",
            "left \(counters.left.map(String.init) ?? "?")",
            "\(rate)/h",
            "auto \(counters.autoAccepted.map(String.init) ?? "?")",
            "queue \(state.llmStatus.queueDepth)",
        ]
        var line = StyledLine(inert.line(" " + parts.joined(separator: chrome.separator) + chrome.separator), role: .statusBar)
        parts.removeAll()
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
            if let reason = llm.reason { line.append(inert.line(": " + reason), role: .statusWarning) }
        case .failing:
            line.append(Glyph.ascii("LLM failing"), role: .statusError)
            if let reason = llm.reason { line.append(inert.line(": " + reason), role: .statusError) }
        }
        return line
    }

    static func draw(_ state: LabelingState, layout: LabelingLayout, on screen: any Screen) {
        screen.fill(row: layout.statusRow, column: 0, width: layout.size.columns, role: .statusBar)
        screen.draw(line(state), row: layout.statusRow, column: 0, maxWidth: layout.size.columns)
    }
}
