import Foundation
import AnnottyCore

/// The pure heart of the labeling screen: `reduce(state, event) -> (state, effects)`.
/// No I/O, no clock, no terminal: every input arrives in the event, every output leaves as an
/// effect, so each behaviour is a plain unit test.
public enum LabelingReducer {
    public static func reduce(_ state: LabelingState, _ event: LabelingEvent) -> (LabelingState, [LabelingEffect]) {
        var next = state
        let effects = reduce(into: &next, event)
        return (next, effects)
    }

    /// The same, updating the state in place: the controller's state is the only reference to
    /// its arrays, so appending to the history or taking the next item copies nothing.
    public static func reduce(into state: inout LabelingState, _ event: LabelingEvent) -> [LabelingEffect] {
        var reduction = Reduction(state: state)
        // Leave a cheap stand-in so that the reduction holds the only reference.
        state = LabelingState(setup: state.setup, size: state.size, capabilities: state.capabilities)
        reduction.apply(event)
        state = reduction.state
        return reduction.effects
    }
}

/// Longest note a flag keeps.
let maximumNoteLength = 500

struct Reduction {
    var state: LabelingState
    var effects: [LabelingEffect] = []

    mutating func apply(_ event: LabelingEvent) {
        switch event {
        case .started(let now):
            state.clock = now
            state.throughput.start(at: now)
            requestClaim(now: now)
            requestCounts(now: now)
        case .key(let key, let now):
            state.clock = now
            handleKey(key, now: now)
        case .resized(let size):
            state.size = size
            clampScrolls()
        case .tick(let now):
            state.clock = now
            requestCountsIfDue(now: now)
            // An empty queue is looked at again now and then: leases expire, items get imported.
            if state.current == nil, state.queueExhausted, !state.claimInFlight, now - state.lastClaimAt >= 10 {
                requestClaim(now: now)
            }
            // A claim the store refused (a full disk, a locked file) is tried again every few
            // seconds, so the screen resumes by itself once the cause is gone.
            if state.current == nil, !state.queueExhausted, !state.claimInFlight,
               case .storeFailed = state.message, now - state.lastClaimAt >= 3 {
                requestClaim(now: now)
            }
            if let unsaved = state.unsavedDecision, now - state.lastSaveAttemptAt >= LabelingState.saveRetryInterval {
                state.lastSaveAttemptAt = now
                effects.append(.recordDecision(unsaved))
            }
        case .itemsClaimed(let items, let requested, let replacing, let now):
            state.clock = now
            state.claimInFlight = false
            if replacing { replaceUpcoming(reranked: items) }
            var known = Set(state.visibleAndUpcomingIds)
            for var queued in items where !known.contains(queued.item.id) {
                queued.prediction = queued.prediction.map(presented)
                state.upcoming.append(queued)
                known.insert(queued.item.id)
            }
            state.queueExhausted = items.count < requested
            if state.current == nil {
                advance(now: now)
            } else {
                announceUpcoming()
            }
        case .decisionRecorded(let decision, let now):
            state.clock = now
            if state.unsavedDecision != nil {
                state.unsavedDecision = nil
                state.message = nil
            }
            recorded(decision, now: now)
        case .undone(let undone, let restored, let now):
            state.clock = now
            self.undone(undone, restored: restored, now: now)
        case .storeFailed(let message):
            state.claimInFlight = false
            state.message = .storeFailed(message)
        case .decisionFailed(let decision, let reason, let retryable):
            guard retryable else {
                state.unsavedDecision = nil
                state.message = .storeFailed(reason)
                return
            }
            state.unsavedDecision = decision
            state.lastSaveAttemptAt = state.clock
            state.message = .waitingForDatabase(reason)
        case .queueChangedElsewhere:
            // Someone imported items or gave some back: an empty screen looks at once.
            if state.current == nil, !state.claimInFlight { requestClaim(now: state.clock) }
        case .predictionArrived(let prediction):
            arrived(presented(prediction))
        case .learnerOpinions(let labels):
            state.learnerLabels = labels
        case .backgroundFailed(let reason):
            // A decision waiting for the database says more than the re-ranking that waits with it.
            if state.unsavedDecision == nil { state.message = .backgroundFailed(reason) }
        case .llmStatusChanged(let status):
            state.llmStatus = Self.shownStatus(status, after: state.llmStatus)
        case .queueOrderChanged:
            guard !state.claimInFlight else { return }
            state.claimInFlight = true
            let excluding = Set(state.current.map { [$0.item.id] } ?? [])
            effects.append(.claimItems(limit: state.setup.lookahead, excluding: excluding, replacing: true,
                                       urgent: state.current == nil))
        case .countsRefreshed(let counts):
            state.counters.openAtRefresh = counts.open
            state.counters.itemsAtRefresh = max(0, counts.items - counts.golden)
            state.counters.autoAccepted = counts.autoAccepted
            state.counters.labelledSinceRefresh = 0
        }
    }

    // MARK: Keys

    mutating func handleKey(_ key: KeyPress, now: TimeInterval) {
        let keymap = state.setup.keymap
        let command = keymap.command(for: key)
        if case .action(.quit) = command, key == .control("c") {
            quit()
            return
        }
        if !LabelingLayout(state: state).fits {
            if case .action(.quit) = command { quit() }
            return
        }
        switch state.overlay {
        case .help(let scroll):
            switch command {
            case .action(.help), .action(.quit): state.overlay = nil
            case .action(let action) where isScroll(action):
                state.overlay = .help(scroll: scroll + scrollDelta(action, page: HelpOverlayView.visibleRows(state)))
                clampScrolls()
            default:
                if key == .escape { state.overlay = nil }
            }
            return
        case .guidelines(let scroll):
            let page = GuidelinesOverlayView.visibleRows(state)
            switch command {
            case .action(.guidelines), .action(.quit): state.overlay = nil
            case .action(let action) where isScroll(action):
                state.overlay = .guidelines(scroll: scroll + scrollDelta(action, page: page))
                clampScrolls()
            default:
                if key == .escape {
                    state.overlay = nil
                } else if key == .character(" ") {
                    state.overlay = .guidelines(scroll: scroll + page)
                    clampScrolls()
                }
            }
            return
        case .flagNote(let note):
            switch key {
            case .escape:
                state.overlay = nil
            case .enter:
                state.overlay = nil
                let trimmed = note.trimmingCharacters(in: .whitespaces)
                decide(kind: .flag, label: nil, note: trimmed.isEmpty ? nil : trimmed, now: now)
            case .backspace, .delete, .control("h"):
                state.overlay = .flagNote(String(note.dropLast()))
            default:
                if let character = key.typedText, note.count < maximumNoteLength {
                    state.overlay = .flagNote(note + String(character))
                }
            }
            return
        case nil:
            break
        }

        if state.setup.isSpans, handleSpanKey(key, command: command, now: now) { return }
        if state.setup.isMultiLabel, handleMultiLabelKey(command, now: now) { return }
        switch command {
        case .label(let name):
            guard state.current != nil else {
                state.message = .nothingToLabel
                return
            }
            let kind: DecisionKind = state.shownPrelabel?.shownLabel == name ? .accept : .correct
            decide(kind: kind, label: name, note: nil, now: now)
        case .action(.accept):
            guard state.current != nil else {
                state.message = .nothingToLabel
                return
            }
            guard let prelabel = state.shownPrelabel?.shownLabel else {
                state.message = .noPrelabel
                return
            }
            if state.prelabelRejected {
                state.message = .acceptAfterReject(label: prelabel)
                return
            }
            decide(kind: .accept, label: prelabel, note: nil, now: now)
        case .action(.other):
            guard state.current != nil else {
                state.message = .nothingToLabel
                return
            }
            guard let other = state.shownPrelabel?.alternative, state.setup.labels.contains(other.label) else {
                state.message = .noOtherOpinion
                return
            }
            decide(kind: .correct, label: other.label, note: nil, now: now)
        case .action(.reject):
            reject(now: now)
        case .action(.skip):
            guard state.current != nil else {
                state.message = .nothingToLabel
                return
            }
            decide(kind: .skip, label: nil, note: nil, now: now)
        case .action(.undo):
            guard state.unsavedDecision == nil else { return }
            effects.append(.undoLastDecision)
        case .action(.flag):
            guard state.current != nil else {
                state.message = .nothingToLabel
                return
            }
            state.overlay = .flagNote("")
        case .action(.guidelines):
            state.overlay = .guidelines(scroll: 0)
        case .action(.help):
            state.overlay = .help(scroll: 0)
        case .action(.quit):
            quit()
        case .action(let action):
            state.itemScroll += scrollDelta(action, page: max(1, ItemView.visibleTextRows(state)))
            clampScrolls()
        case nil:
            state.message = .unboundKey(key)
        }
    }

    /// Multi-label keys: a label key toggles its label, accept commits the ticked set, undo
    /// reverts a toggle before it undoes a decision; other opinion and reject say they are for
    /// single-label projects. Returns whether the key was handled here.
    mutating func handleMultiLabelKey(_ command: KeyCommand?, now: TimeInterval) -> Bool {
        switch command {
        case .label(let name):
            guard let current = state.current else {
                state.message = .nothingToLabel
                return true
            }
            guard let index = state.setup.labels.index(of: name) else { return true }
            if state.selection.itemId != current.item.id {
                state.selection = LabelSelection(itemId: current.item.id, chosen: initialSelection(for: current))
            }
            let isIn = state.selection.toggle(index)
            state.message = .toggled(label: name, isIn: isIn, selection: selectedNames())
            return true
        case .action(.accept):
            commitSelection(now: now)
            return true
        case .action(.undo):
            if let current = state.current, state.selection.itemId == current.item.id,
               let (index, isIn) = state.selection.revertLastToggle() {
                state.message = .toggleReverted(label: state.setup.labels.labels[index].name, isIn: isIn,
                                                selection: selectedNames())
            } else {
                effects.append(.undoLastDecision)
            }
            return true
        case .action(.other):
            state.message = .singleLabelOnly(.other)
            return true
        case .action(.reject):
            state.message = .singleLabelOnly(.reject)
            return true
        default:
            return false
        }
    }

    /// Multi-label: saves the ticked set; an accept when it is the pre-label's set, a correction
    /// otherwise. An empty set is saved only where the project allows it.
    mutating func commitSelection(now: TimeInterval) {
        guard state.current != nil else {
            state.message = .nothingToLabel
            return
        }
        let chosen = state.selectedIndices
        if chosen.isEmpty, !state.setup.allowEmptySet {
            state.message = .emptySetRefused
            return
        }
        let kind: DecisionKind = state.shownPrelabelSet == chosen ? .accept : .correct
        decide(kind: kind, label: MultiLabelAnswer(indices: chosen, labels: state.setup.labels).encoded, note: nil, now: now)
    }

    /// The names ticked on the item on screen, in label order.
    func selectedNames() -> [String] {
        MultiLabelAnswer(indices: state.selectedIndices, labels: state.setup.labels).names
    }

    /// Multi-label: what an item starts with: its pre-label's set, or nothing.
    func initialSelection(for queued: QueuedItem) -> Set<Int> {
        guard let prediction = queued.prediction, prediction.isValid, let label = prediction.shownLabel,
              let answer = MultiLabelAnswer.decode(label, labels: state.setup.labels) else { return [] }
        return answer.indices(in: state.setup.labels)
    }

    /// Multi-label: the item now on screen starts with `chosen`, or with its pre-label's set.
    /// A set the person gave (brought back by undo) is not replaced by a pre-label arriving later.
    mutating func resetSelection(given chosen: Set<Int>? = nil) {
        guard state.setup.isMultiLabel else { return }
        guard let current = state.current else {
            state.selection = LabelSelection()
            return
        }
        if let chosen {
            state.selection = LabelSelection(itemId: current.item.id, chosen: chosen, isEdited: true)
        } else {
            state.selection = LabelSelection(itemId: current.item.id, chosen: initialSelection(for: current))
        }
    }

    /// The reject key (Prodigy's x): the pre-label on screen is wrong. On a single-label task
    /// the answer is then one of the other labels: with two labels that is the other one, saved
    /// at once as a correction; with more, the pre-label is struck out (it can no longer be
    /// accepted) and the item stays until a label key decides it. Pressing reject again takes
    /// the rejection back. The decision saved is a correction with the rejected pre-label as
    /// its shown label, so nothing new is stored.
    mutating func reject(now: TimeInterval) {
        guard let current = state.current else {
            state.message = .nothingToLabel
            return
        }
        guard let prelabel = state.shownPrelabel?.shownLabel else {
            state.message = .noPrelabelToReject
            return
        }
        if state.prelabelRejected {
            state.rejectedPrelabelItemId = nil
            state.message = .rejectionWithdrawn(label: prelabel)
            return
        }
        let others = state.setup.labels.labels.map(\.name).filter { $0 != prelabel }
        if others.count == 1 {
            decide(kind: .correct, label: others[0], note: nil, now: now)
            return
        }
        state.rejectedPrelabelItemId = current.item.id
        state.message = .prelabelRejected(label: prelabel)
    }

    func isScroll(_ action: KeyAction) -> Bool {
        [.scrollDown, .scrollUp, .pageDown, .pageUp].contains(action)
    }

    func scrollDelta(_ action: KeyAction, page: Int) -> Int {
        switch action {
        case .scrollDown: return 1
        case .scrollUp: return -1
        case .pageDown: return max(1, page - 1)
        case .pageUp: return -max(1, page - 1)
        default: return 0
        }
    }

    mutating func clampScrolls() {
        state.itemScroll = min(max(0, state.itemScroll), ItemView.maximumScroll(state))
        switch state.overlay {
        case .help(let scroll):
            state.overlay = .help(scroll: min(max(0, scroll), HelpOverlayView.maximumScroll(state)))
        case .guidelines(let scroll):
            state.overlay = .guidelines(scroll: min(max(0, scroll), GuidelinesOverlayView.maximumScroll(state)))
        case .flagNote, nil:
            break
        }
    }

    mutating func quit() {
        state.isFinished = true
        // In the queue the item on screen stays this annotator's, so reopening shows it again;
        // audit samples and reviews are lists of their own, with nothing to hold.
        let kept = state.setup.mode == .label ? state.current?.item.id : nil
        effects.append(.quit(keepingLeaseOn: kept))
    }

    /// The LLM's status as the status line shows it. Once the model has answered ("ready" or
    /// "slow"), a later "starting" (a worker restarting, a new batch's first request) does not
    /// take the screen back to "starting": the previous state stays, with the new queue depth.
    /// A failing model that starts again is shown as starting.
    static func shownStatus(_ status: LLMStatus, after previous: LLMStatus) -> LLMStatus {
        guard status.state == .starting, previous.isAnswering else { return status }
        var shown = previous
        shown.queueDepth = status.queueDepth
        return shown
    }

    // MARK: Decisions

    /// Asks the store to commit a decision on the item on screen. The screen moves on only when
    /// `.decisionRecorded` confirms the commit.
    mutating func decide(kind: DecisionKind, label: String?, note: String?, now: TimeInterval) {
        guard let current = state.current else { return }
        // One decision at a time while the database is away: a second could not be told apart.
        guard state.unsavedDecision == nil else { return }
        var kind = kind
        if kind == .accept || kind == .correct {
            switch state.setup.mode {
            case .label: break
            case .audit: kind = .audit
            case .review: kind = .adjudicate
            }
        }
        let shown = state.shownPrelabel
        let spent = max(0, Int(((now - state.currentShownAt) * 1000).rounded()))
        let decision = Decision(
            itemId: current.item.id, annotator: state.setup.annotator, kind: kind, label: label,
            shownLabel: shown?.shownLabel, shownConfidence: shown?.confidence, shownSource: shown?.source,
            predictionId: current.prediction.flatMap { $0.id > 0 ? $0.id : nil }, timeSpentMs: spent, note: note,
            createdAt: Date(timeIntervalSince1970: 0))
        effects.append(.recordDecision(decision))
    }

    mutating func recorded(_ decision: Decision, now: TimeInterval) {
        guard let current = state.current, current.item.id == decision.itemId else { return }
        state.history.append(DoneItem(item: current, decision: decision))
        if state.history.count > LabelingState.historyLimit { state.history.removeFirst() }
        state.counters.done += 1
        if decision.kind.carriesLabel {
            state.counters.labelled += 1
            state.counters.labelledSinceRefresh += 1
        }
        state.throughput.record(at: now)
        state.message = .saved(itemId: decision.itemId, kind: decision.kind, label: decision.label,
                               prelabel: decision.shownLabel)
        advance(now: now)
        effects.append(.notifyDecision(decision))
        requestCountsIfDue(now: now)
    }

    mutating func undone(_ undone: Decision?, restored: QueuedItem?, now: TimeInterval) {
        guard let undone else {
            state.message = .nothingToUndo
            return
        }
        state.counters.done = max(0, state.counters.done - 1)
        if undone.kind.carriesLabel {
            state.counters.labelled = max(0, state.counters.labelled - 1)
            state.counters.labelledSinceRefresh -= 1
        }
        state.throughput.removeLast()
        if let index = state.history.lastIndex(where: { $0.decision.id == undone.id }) {
            state.history.remove(at: index)
        }
        if let restored {
            state.upcoming.removeAll { $0.item.id == restored.item.id }
            if let current = state.current, current.item.id != restored.item.id {
                state.upcoming.insert(current, at: 0)
            }
            state.current = restored
            // The set the undone decision gave comes back ticked, to change and commit again.
            resetSelection(given: undone.label.flatMap { MultiLabelAnswer.decode($0, labels: state.setup.labels) }?
                .indices(in: state.setup.labels))
            // Entity spans: the undone decision's spans come back, to change and commit again.
            resetSpanEditor(given: spans(ofLabel: undone.label, in: restored))
            state.rejectedPrelabelItemId = nil
            state.currentShownAt = now
            state.itemScroll = 0
            state.overlay = nil
        }
        state.message = .undid(itemId: undone.itemId, kind: undone.kind, label: undone.label)
        effects.append(.notifyDecision(Decision(itemId: undone.itemId, annotator: undone.annotator, kind: .undo,
                                                undoesDecisionId: undone.id, createdAt: Date(timeIntervalSince1970: 0))))
        announceUpcoming()
    }

    // MARK: Counts

    mutating func requestCounts(now: TimeInterval) {
        state.countsRequestedAt = now
        effects.append(.refreshCounts)
    }

    mutating func requestCountsIfDue(now: TimeInterval) {
        guard let last = state.countsRequestedAt, now - last >= LabelingState.countsInterval else { return }
        requestCounts(now: now)
    }

    // MARK: Queue

    /// Shows the next item (or none) and keeps enough claimed ahead.
    mutating func advance(now: TimeInterval) {
        state.current = state.upcoming.isEmpty ? nil : state.upcoming.removeFirst()
        resetSelection()
        resetSpanEditor()
        state.rejectedPrelabelItemId = nil
        state.currentShownAt = now
        state.itemScroll = 0
        announceUpcoming()
        refillIfLow(now: now)
    }

    mutating func refillIfLow(now: TimeInterval) {
        guard !state.claimInFlight else { return }
        if state.current == nil {
            // At the end of the queue the tick looks again later, not every event.
            if !state.queueExhausted { requestClaim(now: now) }
            return
        }
        guard !state.queueExhausted, state.upcoming.count < (state.setup.lookahead + 1) / 2 else { return }
        requestClaim(now: now)
    }

    mutating func requestClaim(now: TimeInterval) {
        state.claimInFlight = true
        state.lastClaimAt = now
        let wanted = state.setup.lookahead + (state.current == nil ? 1 : 0) - state.upcoming.count
        effects.append(.claimItems(limit: max(1, wanted), excluding: Set(state.visibleAndUpcomingIds), replacing: false,
                                   urgent: state.current == nil))
    }

    /// The queue was re-ranked: the upcoming items give way to the new order, except that the
    /// item that was next stays next when the new front has no pre-label yet while the one that
    /// was next has its own, or the model is answering (the prefetcher serves the next item
    /// first, so its pre-label is on the way). That is when the model lags the person, and
    /// putting the re-rank's pick in front would show an item without a pre-label after every
    /// re-rank (4 of the 5 misses in one keep-up run). Where every item's pre-label is in (a
    /// replay, a project pre-labelled ahead), or no model answers, the new order stands.
    mutating func replaceUpcoming(reranked items: [QueuedItem]) {
        let wasNext = state.upcoming.first
        state.upcoming.removeAll()
        let onScreen = state.current?.item.id
        guard let wasNext, wasNext.prediction != nil || state.llmStatus.isAnswering,
              let front = items.first(where: { $0.item.id != onScreen }),
              front.item.id != wasNext.item.id, front.prediction == nil else { return }
        state.upcoming.append(wasNext)
    }

    mutating func announceUpcoming() {
        effects.removeAll { if case .announceUpcoming = $0 { return true } else { return false } }
        effects.append(.announceUpcoming(state.visibleAndUpcomingIds))
    }

    // MARK: Predictions

    /// A newer valid prediction replaces what is shown; an invalid one only fills a gap.
    /// The prediction as the screen shows it: from both when the learner agrees with the LLM.
    func presented(_ prediction: Prediction) -> Prediction {
        var shown = prediction
        if let source = prediction.shownSource {
            // Calibration pooled it with the learner's opinion: a single source, or both agreeing.
            shown.source = source == .learner ? .learner : prediction.alternative == nil ? .both : .llm
        } else if prediction.source == .llm, let label = prediction.shownLabel, state.learnerLabels[prediction.itemId] == label {
            shown.source = .both
        }
        return shown
    }

    mutating func arrived(_ prediction: Prediction) {
        func better(_ existing: Prediction?) -> Bool {
            guard let existing else { return true }
            if prediction.isValid { return !existing.isValid || prediction.id >= existing.id || prediction.id == 0 }
            return !existing.isValid
        }
        if let current = state.current, current.item.id == prediction.itemId, better(current.prediction) {
            state.current?.prediction = prediction
            // Multi-label: the new pre-label's set is ticked unless the person changed the set.
            if state.setup.isMultiLabel, let updated = state.current {
                state.selection.offer(initialSelection(for: updated), itemId: current.item.id)
            }
            // Entity spans: the new pre-label's spans are proposed unless the person edited them.
            if state.setup.isSpans, let updated = state.current, let proposed = proposedSpans(of: updated) {
                state.spanEditor.offer(proposed, itemId: current.item.id)
            }
        }
        for index in state.upcoming.indices where state.upcoming[index].item.id == prediction.itemId {
            if better(state.upcoming[index].prediction) { state.upcoming[index].prediction = prediction }
        }
    }
}
