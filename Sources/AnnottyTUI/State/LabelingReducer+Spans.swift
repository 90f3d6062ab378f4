import Foundation
import AnnottyCore

/// The keys of an entity-spans item. Bound keys (labels, actions, `[keys]`) keep their meaning;
/// the span keys below are used only where the keymap leaves them free, so a project whose
/// label keys are letters keeps its labels.
enum SpanKeys {
    /// Word cursor: one word left or right.
    static let wordLeft: [KeyPress] = [.left, .character("h")]
    static let wordRight: [KeyPress] = [.right, .character("l")]
    /// Extend the word selection one word to the right, or take one back.
    static let extendRight: [KeyPress] = [.character(">"), .character("L")]
    static let extendLeft: [KeyPress] = [.character("<"), .character("H")]
    /// Next and previous span on screen.
    static let nextSpan: [KeyPress] = [.tab, .character("n")]
    static let previousSpan: [KeyPress] = [.character("p"), .character("N")]
    /// Accept the focused proposal; accept every proposal.
    static let acceptSpan: [KeyPress] = [.character("y")]
    static let acceptAll: [KeyPress] = [.character("A")]
    /// Reject the focused proposal or delete the focused span (the reject action does too).
    static let removeSpan: [KeyPress] = [.character("x"), .character("d"), .delete]
    /// Drop the focus.
    static let clearFocus: [KeyPress] = [.escape]

    /// The first key of `keys` the keymap leaves free, for the footer and the help.
    static func free(_ keys: [KeyPress], in keymap: Keymap) -> KeyPress? {
        keys.first { keymap.command(for: $0) == nil }
    }
}

extension Reduction {
    /// Entity-spans keys: type keys make or retype spans, accept commits the spans on screen,
    /// undo takes back span edits before decisions, reject removes the focused span; the span
    /// keys (`SpanKeys`) move and select. Returns whether the key was handled here.
    mutating func handleSpanKey(_ key: KeyPress, command: KeyCommand?, now: TimeInterval) -> Bool {
        switch command {
        case .label(let type):
            guard prepareSpanEditor() else { return true }
            if let done = state.spanEditor.applyType(type) {
                state.message = .spanEdited(done)
            } else {
                state.message = .spanHint(selectFirstHint())
            }
            return true
        case .action(.accept):
            commitSpans(now: now)
            return true
        case .action(.undo):
            if state.currentSpans != nil, let undone = state.spanEditor.undoEdit() {
                state.message = .spanEdited("undid: \(undone)")
            } else {
                effects.append(.undoLastDecision)
            }
            return true
        case .action(.reject):
            removeFocusedSpan()
            return true
        case .action(.other):
            state.message = .spanHint("The other opinion is for single-label projects; here edit the spans and press "
                                      + acceptKeyName() + ".")
            return true
        case .some:
            return false
        case nil:
            break
        }
        let spanKeys: [([KeyPress], (inout Reduction) -> Void)] = [
            (SpanKeys.wordRight, { $0.moveWordCursor(by: 1) }),
            (SpanKeys.wordLeft, { $0.moveWordCursor(by: -1) }),
            (SpanKeys.extendRight, { $0.extendWordSelection(by: 1) }),
            (SpanKeys.extendLeft, { $0.extendWordSelection(by: -1) }),
            (SpanKeys.nextSpan, { $0.moveSpanFocus(forward: true) }),
            (SpanKeys.previousSpan, { $0.moveSpanFocus(forward: false) }),
            (SpanKeys.acceptSpan, { $0.acceptFocusedSpan() }),
            (SpanKeys.acceptAll, { $0.acceptAllSpans() }),
            (SpanKeys.removeSpan, { $0.removeFocusedSpan() }),
            (SpanKeys.clearFocus, { $0.clearSpanFocus() }),
        ]
        guard let handler = spanKeys.first(where: { $0.0.contains(key) })?.1 else { return false }
        let focus = state.spanEditor.focus
        handler(&self)
        if state.spanEditor.focus != focus { scrollToFocus() }
        return true
    }

    /// Scrolls the text so that the selected span or words are in view (a text longer than the
    /// item area). Counts lines without drawing them: this runs on every moving key.
    mutating func scrollToFocus() {
        guard let current = state.current, let editor = state.currentSpans else { return }
        let layout = LabelingLayout(state: state)
        guard let line = SpanTextLayout.focusLine(editor: editor, labels: state.setup.labels,
                                                  unicode: state.capabilities.unicode, width: layout.item.columns)
        else { return }
        // A field heading comes first when the item has other fields (`ItemView.contentLines`).
        let row = line + (current.item.fields.isEmpty ? 0 : 1)
        // With a scroll indicator, the area holds one row less.
        let textRows = max(1, layout.item.rows - 1)
        if row < state.itemScroll {
            state.itemScroll = row
        } else if row >= state.itemScroll + textRows {
            state.itemScroll = row - textRows + 1
        }
    }

    /// The editor of the item on screen, made from its pre-label when it belongs to another
    /// item. Says so and returns false when no item is on screen.
    mutating func prepareSpanEditor() -> Bool {
        guard let current = state.current else {
            state.message = .nothingToLabel
            return false
        }
        if state.spanEditor.itemId != current.item.id {
            state.spanEditor = initialSpanEditor(for: current)
        }
        return true
    }

    func initialSpanEditor(for queued: QueuedItem, given: [EntitySpan]? = nil) -> SpanEditor {
        SpanEditor(itemId: queued.item.id, text: queued.item.text, proposed: proposedSpans(of: queued), given: given,
                   unicode: state.capabilities.unicode)
    }

    /// The pre-label's spans of an item: nil without a valid span pre-label.
    func proposedSpans(of queued: QueuedItem) -> [(span: EntitySpan, confidence: Double)]? {
        guard let prediction = queued.prediction, prediction.isValid else { return nil }
        return prediction.proposedSpans(in: queued.item.text)
    }

    /// Entity spans: the item now on screen starts with `given` (an undone decision's spans), or
    /// with its pre-label's proposals.
    mutating func resetSpanEditor(given: [EntitySpan]? = nil) {
        guard state.setup.isSpans else { return }
        guard let current = state.current else {
            state.spanEditor = SpanEditor()
            return
        }
        state.spanEditor = initialSpanEditor(for: current, given: given)
    }

    /// The spans an undone decision gave, read from its label against the item's text.
    func spans(ofLabel label: String?, in queued: QueuedItem) -> [EntitySpan]? {
        guard let label, let keys = SpanAnnotation.keys(inLabel: label) else { return nil }
        let text = ScalarText(queued.item.text)
        return keys.compactMap { key in
            text.slice(key.start, key.end).map { EntitySpan(start: key.start, end: key.end, type: key.type, text: $0) }
        }
    }

    mutating func moveWordCursor(by step: Int) {
        guard prepareSpanEditor() else { return }
        state.spanEditor.moveWord(by: step)
        state.message = nil
    }

    mutating func extendWordSelection(by step: Int) {
        guard prepareSpanEditor() else { return }
        state.spanEditor.extendWords(by: step)
        state.message = nil
    }

    mutating func moveSpanFocus(forward: Bool) {
        guard prepareSpanEditor() else { return }
        if !state.spanEditor.moveSpan(forward: forward) {
            state.message = .spanHint("No spans on this item: select words (Left/Right, > extends), then a type key ("
                                      + state.setup.keymap.labelKeysSummary + ").")
        } else {
            state.message = state.spanEditor.focusedEntry.map(describe)
        }
    }

    /// The selected span on the status line: its type, text, whether it is a proposal and with
    /// what confidence, and what the keys do to it.
    func describe(_ entry: SpanEditor.Entry) -> StatusMessage {
        let types = state.setup.keymap.labelKeysSummary
        let keymap = state.setup.keymap
        let accept = SpanKeys.free(SpanKeys.acceptSpan, in: keymap)?.displayName
        let reject = (keymap.keys(for: .reject).first ?? SpanKeys.free(SpanKeys.removeSpan, in: keymap))?.displayName
        var parts: [String] = []
        if entry.status == .proposed {
            let confidence = entry.confidence.map { String(format: " %.2f", $0) } ?? ""
            if let accept { parts.append("\(accept) accepts") }
            if let reject { parts.append("\(reject) rejects") }
            parts.append("\(types) retypes")
            return .spanEdited("\(entry.span.type) \"\(entry.span.text)\": proposed\(confidence); " + parts.joined(separator: ", "))
        }
        if let reject { parts.append("\(reject) deletes") }
        parts.append("\(types) retypes")
        return .spanEdited("\(entry.span.type) \"\(entry.span.text)\": accepted; " + parts.joined(separator: ", "))
    }

    mutating func acceptFocusedSpan() {
        guard prepareSpanEditor() else { return }
        if let done = state.spanEditor.acceptFocused() {
            state.message = .spanEdited(done)
        } else {
            state.message = .spanHint("No span selected: Tab goes to the next span.")
        }
    }

    mutating func acceptAllSpans() {
        guard prepareSpanEditor() else { return }
        let count = state.spanEditor.acceptAll()
        state.message = count > 0 ? .spanEdited("accepted all \(count) proposed span\(count == 1 ? "" : "s")")
            : .spanHint("No proposed spans left to accept.")
    }

    mutating func removeFocusedSpan() {
        guard prepareSpanEditor() else { return }
        if let done = state.spanEditor.removeFocused() {
            state.message = .spanEdited(done)
        } else {
            state.message = .spanHint("No span selected: Tab goes to the next span, then x rejects it.")
        }
    }

    mutating func clearSpanFocus() {
        guard state.currentSpans != nil else { return }
        state.spanEditor.focus = .none
        state.message = nil
    }

    func selectFirstHint() -> String {
        "Select words first (Left/Right, > extends) or a span (Tab), then a type key ("
            + state.setup.keymap.labelKeysSummary + ")."
    }

    func acceptKeyName() -> String {
        state.setup.keymap.keys(for: .accept).first?.displayName ?? "Enter"
    }

    /// Commits the spans on screen (accepted and proposed, not rejected) as one decision: an
    /// accept when they are exactly the pre-label's, a correction otherwise.
    mutating func commitSpans(now: TimeInterval) {
        guard prepareSpanEditor(), let current = state.current else { return }
        let editor = state.spanEditor
        let spans = editor.committed
        let kind: DecisionKind = editor.matchesProposal ? .accept : .correct
        decide(kind: kind, label: SpanAnnotation.label(for: spans), note: nil, now: now)
        // `decide` asked for a plain decision; a spans project records it with its spans.
        if let index = effects.lastIndex(where: { if case .recordDecision = $0 { return true } else { return false } }),
           case .recordDecision(let decision) = effects[index], decision.itemId == current.item.id {
            effects[index] = .recordSpanDecision(decision, spans: spans)
        }
    }
}
