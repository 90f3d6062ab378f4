import Foundation
import AnnottyCore

/// The pre-label row: the suggested label, its confidence as a number and a bar, and its source.
enum PrelabelView {
    static let barCells = 10

    static func line(_ state: LabelingState, width: Int) -> StyledLine {
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        let caption = state.setup.mode == .label ? "Pre-label" : state.setup.mode == .audit ? "Label" : "Suggested"
        var line = StyledLine(Glyph.ascii(pad(caption, to: LabelingLayout.captionWidth - 1)), role: .heading)
        guard let queued = state.current else { return line }
        if state.setup.isMultiLabel { return multiLabelLine(state, queued: queued, line: line) }
        if state.setup.isSpans { return spansLine(state, queued: queued, line: line) }
        if state.prelabelRejected, let label = state.shownPrelabel?.shownLabel {
            line.append(inert.line(state.capabilities.unicode ? "✗ " : "x "), role: .warning)
            line.append(inert.line(label), role: .warning)
            line.append(Glyph.ascii("  rejected: pick the right label"), role: .dim)
            return line
        }
        if state.setup.mode == .review {
            // The votes are drawn above the rule (ItemDetailsView); here the suggested final label.
            guard let prediction = state.shownPrelabel, let label = prediction.shownLabel else {
                line.append(Glyph.ascii("none: the votes are tied, pick a label"), role: .dim)
                return line
            }
            let accept = state.setup.keymap.keys(for: .accept).first?.displayName ?? "Enter"
            line.append(inert.line(chrome.marker + " "), role: .prelabel)
            line.append(inert.line(label), role: .prelabel)
            line.append(inert.line("  " + prediction.model), role: .normal)
            line.append(Glyph.ascii("  \(accept) accepts, a label key overrules"), role: .dim)
            return line
        }
        if state.setup.mode == .audit, let prediction = state.shownPrelabel, let label = prediction.shownLabel {
            // An audit shows the label without its confidence, so the check is not anchored by it.
            line.append(inert.line(chrome.marker + " "), role: .prelabel)
            line.append(inert.line(label), role: .prelabel)
            line.append(Glyph.ascii("  auto-accepted; Enter confirms, a label key corrects"), role: .dim)
            return line
        }
        if let prediction = state.shownPrelabel, let label = prediction.shownLabel {
            line.append(inert.line(chrome.marker + " "), role: .prelabel)
            line.append(inert.line(label), role: .prelabel)
            if let confidence = prediction.confidence {
                line.append(Glyph.ascii("  " + String(format: "%.2f", confidence) + " "), role: .normal)
                let role: TextRole = confidence >= 0.8 ? .confidenceHigh : confidence >= 0.5 ? .confidenceMedium : .confidenceLow
                line.append(inert.line(chrome.bar(confidence, cells: barCells)), role: role)
            }
            if let other = prediction.alternative {
                // Both opinions on one line: the other one, and the key that takes it.
                let key = state.setup.keymap.keys(for: .other).first?.displayName ?? "o"
                let shownFrom = prediction.shownSource == .combined ? "pooled" : prediction.shownSource == .learner ? "learner" : "LLM"
                line.append(Glyph.ascii("  " + shownFrom + " · "), role: .dim)
                line.append(Glyph.ascii(key), role: .footerKey)
                line.append(inert.line(": " + (other.source == .llm ? "LLM" : "learner") + " says " + other.label), role: .normal)
                line.append(Glyph.ascii(" " + String(format: "%.2f", other.confidence)), role: .dim)
            } else {
                line.append(Glyph.ascii("  " + sourceName(prediction.source)), role: .dim)
            }
            return line
        }
        if let prediction = queued.prediction, !prediction.isValid || prediction.label != nil {
            let why = prediction.error ?? prediction.label.map { "\"\($0)\" is not one of the labels" }
                ?? prediction.rawAnswer.map { "it answered \"\($0)\"" } ?? "no label"
            line.append(Glyph.ascii("none: the model's answer is unusable: "), role: .warning)
            line.append(inert.line(why), role: .warning)
            return line
        }
        line.append(Glyph.ascii("none: no prediction available, pick a label"), role: .dim)
        return line
    }

    /// Multi-label: the predicted set, the set's confidence (its least settled label's) with a
    /// bar, and its source; each label's own probability is in the checkbox list below.
    static func multiLabelLine(_ state: LabelingState, queued: QueuedItem, line start: StyledLine) -> StyledLine {
        var line = start
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        let accept = state.setup.keymap.keys(for: .accept).first?.displayName ?? "Enter"
        if let prediction = state.shownPrelabel, let set = prediction.shownSet(over: state.setup.labels) {
            line.append(inert.line(chrome.marker + " "), role: .prelabel)
            // A long set would push its confidence off an 80-column line; the list below marks it.
            line.append(inert.line(set.display.count <= 32 ? set.display : "\(set.names.count) labels, marked * below"),
                        role: .prelabel)
            switch state.setup.mode {
            case .audit:
                line.append(Glyph.ascii("  auto-accepted; \(accept) confirms the ticked set"), role: .dim)
            case .review:
                line.append(Glyph.ascii("  \(accept) saves the ticked set as final"), role: .dim)
            case .label:
                if let confidence = prediction.confidence {
                    line.append(Glyph.ascii("  " + String(format: "%.2f", confidence) + " "), role: .normal)
                    let role: TextRole = confidence >= 0.8 ? .confidenceHigh : confidence >= 0.5 ? .confidenceMedium : .confidenceLow
                    line.append(inert.line(chrome.bar(confidence, cells: barCells)), role: role)
                }
                line.append(Glyph.ascii("  " + sourceName(prediction.source)), role: .dim)
            }
            return line
        }
        if let prediction = queued.prediction, !prediction.isValid || prediction.label != nil {
            let why = prediction.error ?? prediction.label.map { "\"\($0)\" is not a set of the labels" }
                ?? prediction.rawAnswer.map { "it answered \"\($0)\"" } ?? "no label"
            line.append(Glyph.ascii("none: the model's answer is unusable: "), role: .warning)
            line.append(inert.line(why), role: .warning)
            return line
        }
        line.append(Glyph.ascii("none: tick the labels that apply, then \(accept)"), role: .dim)
        return line
    }

    /// Entity spans: how many spans the pre-label proposes, how many are still unsettled, the
    /// least sure span's confidence (the set's, which routing uses) with a bar, and the source.
    static func spansLine(_ state: LabelingState, queued: QueuedItem, line start: StyledLine) -> StyledLine {
        var line = start
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        let accept = state.setup.keymap.keys(for: .accept).first?.displayName ?? "Enter"
        // The editor has the pre-label's spans already (reading them again costs on every key).
        let editor = state.currentSpans
        if let prediction = state.shownPrelabel,
           let proposed = editor?.proposal?.count ?? prediction.proposedSpans(in: queued.item.text)?.count {
            line.append(inert.line(chrome.marker + " "), role: .prelabel)
            let pending = editor?.entries.reduce(0) { $0 + ($1.status == .proposed ? 1 : 0) } ?? proposed
            let count = proposed == 1 ? "1 span" : "\(proposed) spans"
            line.append(Glyph.ascii(proposed == 0 ? "no spans" : "\(count), \(pending) unchecked"), role: .prelabel)
            if state.setup.mode == .label, let confidence = prediction.confidence {
                line.append(Glyph.ascii("  least sure " + String(format: "%.2f", confidence) + " "), role: .normal)
                let role: TextRole = confidence >= 0.8 ? .confidenceHigh : confidence >= 0.5 ? .confidenceMedium : .confidenceLow
                line.append(inert.line(chrome.bar(confidence, cells: barCells)), role: role)
            }
            switch state.setup.mode {
            case .audit: line.append(Glyph.ascii("  auto-accepted; \(accept) confirms"), role: .dim)
            case .review: line.append(Glyph.ascii("  \(accept) saves them as final"), role: .dim)
            case .label: line.append(Glyph.ascii("  " + sourceName(prediction.source)), role: .dim)
            }
            return line
        }
        if let prediction = queued.prediction, !prediction.isValid || prediction.label != nil {
            let why = prediction.error ?? prediction.label.map { "\"\($0)\" is not a span set" }
                ?? prediction.rawAnswer.map { "it answered \"\($0)\"" } ?? "no spans"
            line.append(Glyph.ascii("none: the model's answer is unusable: "), role: .warning)
            line.append(inert.line(why), role: .warning)
            return line
        }
        line.append(Glyph.ascii("none: select words, a type key marks them, \(accept) saves"), role: .dim)
        return line
    }

    static func sourceName(_ source: PredictionSource) -> String {
        switch source {
        case .llm: return "from the LLM"
        case .learner: return "from the task learner"
        case .both: return "LLM and task learner agree"
        case .imported: return "imported"
        }
    }

    static func pad(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }

    static func draw(_ state: LabelingState, layout: LabelingLayout, on screen: any Screen) {
        screen.draw(line(state, width: layout.size.columns - 2), row: layout.prelabelRow, column: 1,
                    maxWidth: layout.size.columns - 2)
    }
}
