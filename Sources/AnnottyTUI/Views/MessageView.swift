import AnnottyCore

/// The line that says what just happened ("✓ item 17 accepted: positive").
enum MessageView {
    static func line(_ state: LabelingState) -> StyledLine? {
        guard let message = state.message else { return nil }
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        let keymap = state.setup.keymap
        switch message {
        case .saved(let itemId, let kind, let label, let prelabel) where state.setup.isMultiLabel:
            return StyledLine(inert.line("\(kind == .flag ? chrome.flag : chrome.check) item \(itemId) " + savedSet(kind: kind, label: label, prelabel: prelabel,
                                                                                     state: state)), role: .success)
        case .undid(let itemId, let kind, let label) where state.setup.isMultiLabel:
            // Short enough for 80 columns with a few labels: the set is the point of the line.
            guard let label else {
                return StyledLine(inert.line("\(chrome.undo) undid item \(itemId) (\(kind.rawValue)); it is back on screen"),
                                  role: .success)
            }
            return StyledLine(inert.line("\(chrome.undo) undid item \(itemId) (\(kind.rawValue) \(setDisplay(label, state: state))); "
                                         + "that set is ticked again"), role: .success)
        case .saved(let itemId, let kind, let label, let prelabel) where state.setup.isSpans:
            let symbol = kind == .flag ? chrome.flag : chrome.check
            return StyledLine(inert.line("\(symbol) item \(itemId) " + savedSpans(kind: kind, label: label, prelabel: prelabel)),
                              role: .success)
        case .undid(let itemId, let kind, let label) where state.setup.isSpans:
            let what = label.map { " (\(kind.rawValue), \(spanCount($0)))" } ?? " (\(kind.rawValue))"
            return StyledLine(inert.line("\(chrome.undo) undid item \(itemId)\(what); its spans are back to edit"),
                              role: .success)
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
        case .toggled(let label, let isIn, let selection):
            let accept = keymap.keys(for: .accept).first?.displayName ?? "Enter"
            return StyledLine(inert.line((isIn ? "ticked " : "unticked ") + label + ": "
                                         + MultiLabelAnswer(selection, labels: state.setup.labels).display
                                         + " (\(accept) saves the set)"), role: .normal)
        case .toggleReverted(let label, let isIn, let selection):
            return StyledLine(inert.line("\(chrome.undo) toggle of \(label) reverted (\(isIn ? "ticked" : "unticked") again): "
                                         + MultiLabelAnswer(selection, labels: state.setup.labels).display), role: .success)
        case .emptySetRefused:
            let accept = keymap.keys(for: .accept).first?.displayName ?? "Enter"
            return StyledLine(Glyph.ascii("Pick at least one label (\(keymap.labelKeysSummary)), then \(accept): "
                                          + "this project does not allow an empty set."), role: .warning)
        case .singleLabelOnly(let action):
            let key = keymap.keys(for: action).first?.displayName ?? action.rawValue
            let what = action == .other ? "takes the other opinion" : "rejects the pre-label"
            return StyledLine(Glyph.ascii("\(key) \(what) on single-label projects; here tick or untick labels "
                                          + "(\(keymap.labelKeysSummary)) and save the set."), role: .warning)
        case .spanEdited(let text):
            return StyledLine(inert.line(text), role: .normal)
        case .spanHint(let text):
            return StyledLine(inert.line(text), role: .warning)
        case .storeFailed(let reason):
            var line = StyledLine(Glyph.ascii("Not saved: "), role: .error)
            line.append(inert.line(causeFirst(reason)), role: .error)
            line.append(Glyph.ascii(". Press the key again to retry."), role: .error)
            return line
        case .waitingForDatabase(let reason):
            // What happens to the decision first: the cause after it is long and may be cut at 80 columns.
            var line = StyledLine(Glyph.ascii("Not saved yet, kept: saved when the database is back. "), role: .error)
            line.append(inert.line(causeFirst(reason)), role: .error)
            return line
        case .backgroundFailed(let reason):
            var line = StyledLine(Glyph.ascii("Re-ranking stopped: "), role: .warning)
            line.append(inert.line(reason), role: .warning)
            line.append(Glyph.ascii(". Labeling goes on in the current order."), role: .warning)
            return line
        }
    }

    /// Multi-label: a stored set as people read it (`joy + sadness`, `no label`); a label that
    /// is not a set is shown as it is.
    static func setDisplay(_ label: String, state: LabelingState) -> String {
        MultiLabelAnswer.decode(label, labels: state.setup.labels)?.display ?? label
    }

    /// Multi-label: what a saved set was ("accepted: joy", "corrected: joy -> joy + fear").
    static func savedSet(kind: DecisionKind, label: String?, prelabel: String?, state: LabelingState) -> String {
        let arrow = ChromeGlyphs.for(state.capabilities).arrow
        let set = label.map { setDisplay($0, state: state) } ?? ""
        // The saved set is the point of the line: a long pre-label set is only counted.
        let suggested = prelabel.map { prelabel in
            let full = setDisplay(prelabel, state: state)
            guard full.count > 24, let count = MultiLabelAnswer.decode(prelabel, labels: state.setup.labels)?.names.count
            else { return full }
            return "\(count) labels"
        }
        switch kind {
        case .accept: return "accepted: \(set)"
        case .correct:
            if let suggested, prelabel != label { return "corrected: \(suggested) \(arrow) \(set)" }
            return "saved: \(set)"
        case .audit:
            if let suggested, prelabel != label { return "audit: corrected \(suggested) \(arrow) \(set)" }
            return "audit: confirmed \(set)"
        case .adjudicate: return "reviewed: final set \(set)"
        case .skip: return "skipped"
        case .flag: return "flagged"
        default: return kind.rawValue
        }
    }

    /// Entity spans: a span set's label counted ("3 spans", "no spans").
    static func spanCount(_ label: String) -> String {
        guard let count = SpanAnnotation.keys(inLabel: label)?.count else { return label }
        return count == 0 ? "no spans" : count == 1 ? "1 span" : "\(count) spans"
    }

    /// Entity spans: what a saved span set was ("accepted: 3 spans", "corrected: 2 spans -> 3 spans").
    static func savedSpans(kind: DecisionKind, label: String?, prelabel: String?) -> String {
        let set = label.map(spanCount) ?? ""
        switch kind {
        case .accept: return "accepted: \(set) as proposed"
        case .correct:
            if let prelabel { return "corrected: \(spanCount(prelabel)) proposed, \(set) saved" }
            return "saved: \(set)"
        case .audit: return prelabel == label ? "audit: confirmed \(set)" : "audit: corrected to \(set)"
        case .adjudicate: return "reviewed: final \(set)"
        case .skip: return "skipped"
        case .flag: return "flagged"
        default: return kind.rawValue
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
