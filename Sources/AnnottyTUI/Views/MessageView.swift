import AnnottyCore

/// The line that says what just happened ("✓ item 17 accepted: positive").
enum MessageView {
    static func line(_ state: LabelingState) -> StyledLine? {
        guard let message = state.message else { return nil }
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        let keymap = state.setup.keymap
        switch message {
        case .saved(let itemId, let kind, let label, let prelabel):
            var what: String
            switch kind {
            case .accept: what = "accepted: \(label ?? "")"
            case .correct:
                if let prelabel, let label, prelabel != label {
                    what = "corrected: \(prelabel) \(chrome.arrow) \(label)"
                } else {
                    what = "labelled: \(label ?? "")"
                }
            case .audit:
                if let prelabel, let label, prelabel != label {
                    what = "audit: corrected \(prelabel) \(chrome.arrow) \(label)"
                } else {
                    what = "audit: confirmed \(label ?? "")"
                }
            case .adjudicate:
                what = "reviewed: final label \(label ?? "")"
                if let prelabel, let label, prelabel != label { what += " (suggested \(prelabel))" }
            case .skip: what = "skipped"
            case .flag: what = "flagged"
            default: what = kind.rawValue
            }
            let symbol = kind == .flag ? chrome.flag : chrome.check
            return StyledLine(inert.line("\(symbol) item \(itemId) \(what)"), role: .success)
        case .undid(let itemId, let kind, let label):
            let what = label.map { "\(kind.rawValue) \($0)" } ?? kind.rawValue
            return StyledLine(inert.line("\(chrome.undo) undid \(what) of item \(itemId); it is back on screen"), role: .success)
        case .nothingToUndo:
            return StyledLine(Glyph.ascii("Nothing to undo."), role: .warning)
        case .noPrelabel:
            return StyledLine(Glyph.ascii("No pre-label to accept: press a label key (\(keymap.labelKeysSummary))."),
                              role: .warning)
        case .noOtherOpinion:
            return StyledLine(Glyph.ascii("No other opinion: the LLM and the task learner agree, or only one has one."),
                              role: .warning)
        case .prelabelRejected(let label):
            let reject = keymap.keys(for: .reject).first.map { ", \($0.displayName) takes it back" } ?? ""
            return StyledLine(inert.line("\(label) rejected: pick the right label (\(keymap.labelKeysSummary))\(reject)."),
                              role: .warning)
        case .rejectionWithdrawn(let label):
            return StyledLine(inert.line("Rejection of \(label) taken back."), role: .success)
        case .acceptAfterReject(let label):
            let reject = keymap.keys(for: .reject).first.map { ", or \($0.displayName) to take the rejection back" } ?? ""
            return StyledLine(inert.line("\(label) was rejected: pick the right label (\(keymap.labelKeysSummary))\(reject)."),
                              role: .warning)
        case .noPrelabelToReject:
            return StyledLine(Glyph.ascii("No pre-label to reject: press a label key (\(keymap.labelKeysSummary))."),
                              role: .warning)
        case .nothingToLabel:
            return StyledLine(Glyph.ascii("No item on screen."), role: .warning)
        case .unboundKey(let key):
            let help = keymap.keys(for: .help).first?.displayName ?? "?"
            return StyledLine(inert.line("Key \(key.displayName) does nothing here; \(help) lists the keys."), role: .warning)
        case .storeFailed(let reason):
            var line = StyledLine(Glyph.ascii("Not saved: "), role: .error)
            line.append(inert.line(causeFirst(reason)), role: .error)
            line.append(Glyph.ascii(". Press the key again to retry."), role: .error)
            return line
        case .backgroundFailed(let reason):
            var line = StyledLine(Glyph.ascii("Re-ranking stopped: "), role: .warning)
            line.append(inert.line(reason), role: .warning)
            line.append(Glyph.ascii(". Labeling goes on in the current order."), role: .warning)
            return line
        }
    }

    /// A store error names its file first ("/long/path/annotty.sqlite: the disk is full; …"); on
    /// one status row the cause must come first, so the file moves to the end.
    static func causeFirst(_ reason: String) -> String {
        guard reason.hasPrefix("/"), let separator = reason.range(of: ": ") else { return reason }
        return "\(reason[separator.upperBound...]) (\(reason[..<separator.lowerBound]))"
    }

    static func draw(_ state: LabelingState, layout: LabelingLayout, on screen: any Screen) {
        guard let line = line(state) else { return }
        screen.draw(line, row: layout.messageRow, column: 1, maxWidth: layout.size.columns - 2)
    }
}
