import Foundation
import Testing
import AnnottyCore
@testable import AnnottyTUI

/// What the labeling, audit and review screens tell the person: counts, the LLM's reason, an
/// item's other fields, the review's votes and suggestion, the confirmation lines and the help.
@Suite struct ScreenSurfaceTests {
    func text(_ state: LabelingState) -> [String] {
        Fixtures.render(state).lines
    }

    func row(_ lines: [String], containing needle: String) -> String? {
        lines.first { $0.contains(needle) }
    }

    func decide(_ state: LabelingState, _ key: KeyPress, id: Int64, now: TimeInterval = 101) -> LabelingState {
        let (pending, effects) = LabelingReducer.reduce(state, .key(key, now: now))
        guard case .recordDecision(var decision)? = effects.first(where: { if case .recordDecision = $0 { true } else { false } }) else {
            Issue.record("no decision for \(key)")
            return pending
        }
        decision.id = id
        return LabelingReducer.reduce(pending, .decisionRecorded(decision, now: now)).0
    }

    func queueState(items: [QueuedItem], setup: LabelingSetup = Fixtures.setup(), counts: StatusCounts) -> LabelingState {
        var state = LabelingState(setup: setup, size: ScreenSize(rows: 24, columns: 80), capabilities: .full)
        state = LabelingReducer.reduce(state, .started(now: 100)).0
        state = LabelingReducer.reduce(state, .countsRefreshed(counts)).0
        return LabelingReducer.reduce(state, .itemsClaimed(items, requested: 9, replacing: false, now: 100)).0
    }

    static func counts(items: Int, open: Int) -> StatusCounts {
        var counts = StatusCounts()
        counts.items = items
        counts.open = open
        return counts
    }

    // MARK: Status line

    @Test func aSkipIsNotCountedAsALabelAndTheProjectShowsItsProgress() {
        let items = (1...4).map { QueuedItem(item: Fixtures.item($0, "Item \($0)."), prediction: nil) }
        var state = queueState(items: items, counts: Self.counts(items: 300, open: 271))
        state = decide(state, .character("1"), id: 1)
        state = decide(state, .character("2"), id: 2)
        state = decide(state, .character("s"), id: 3)
        #expect(state.counters.done == 3)
        // Two labels close two items; the skipped one stays open and is not "yours".
        #expect(row(text(state), containing: "you ") == " you 2 · project 31/300 (10%) · 180/h · auto 0 · queue 0 · LLM off")
    }

    @Test func reopeningShowsTheProgressAlreadySaved() {
        let items = [QueuedItem(item: Fixtures.item(32, "Next."), prediction: nil)]
        let state = queueState(items: items, counts: Self.counts(items: 300, open: 269))
        #expect(row(text(state), containing: "you ")?.hasPrefix(" you 0 · project 31/300 (10%) · ") == true)
    }

    @Test func onceReadyTheLLMIsNeverShownAsStartingAgain() {
        var state = queueState(items: [], counts: Self.counts(items: 10, open: 10))
        state = LabelingReducer.reduce(state, .llmStatusChanged(LLMStatus(state: .starting))).0
        #expect(state.llmStatus.state == .starting)
        state = LabelingReducer.reduce(state, .llmStatusChanged(LLMStatus(state: .ready, queueDepth: 2))).0
        state = LabelingReducer.reduce(state, .llmStatusChanged(LLMStatus(state: .starting, queueDepth: 5))).0
        #expect(state.llmStatus.state == .ready)
        #expect(state.llmStatus.queueDepth == 5)
        #expect(row(text(state), containing: "queue 5")?.hasSuffix("LLM ready") == true)
        // A failing model that restarts is starting again.
        state = LabelingReducer.reduce(state, .llmStatusChanged(LLMStatus(state: .failing, reason: "down"))).0
        state = LabelingReducer.reduce(state, .llmStatusChanged(LLMStatus(state: .starting))).0
        #expect(state.llmStatus.state == .starting)
    }

    @Test func theLLMsReasonWrapsOnRowsOfItsOwnInsteadOfBeingCut() {
        var state = Fixtures.state(current: QueuedItem(item: Fixtures.item(1, "Fine."), prediction: nil))
        let reason = "HTTP 503 from http://127.0.0.1:8080/v1/chat/completions: the model server is loading weights, retrying in 8 s"
        state.llmStatus = LLMStatus(state: .failing, reason: reason, queueDepth: 1)
        let lines = text(state)
        #expect(lines[22].hasSuffix("· LLM failing"))
        let note = (lines[20] + lines[21]).split(separator: " ").joined(separator: " ")
        #expect(note == "LLM: " + reason)
        // The label list and the message row moved up; the item keeps its rows.
        #expect(lines[18].hasPrefix(" Labels"))
    }

    // MARK: Extra fields

    @Test func anItemsOtherFieldsShowInOneLineUnderTheText() {
        let item = Item(id: 5, externalId: "r0005", text: "Bright, even light.",
                        metadataJSON: #"{"product": "ceiling light fixture", "stars": 3, "note": null}"#,
                        createdAt: Date(timeIntervalSince1970: 0))
        let lines = text(Fixtures.state(current: QueuedItem(item: item, prediction: nil)))
        #expect(lines[17] == " product: ceiling light fixture · stars: 3")
        #expect(lines[18].hasPrefix("────"))
    }

    @Test func extraFieldsAreInertAndCutAtTheWidth() {
        let long = String(repeating: "very long product name ", count: 6)
        let item = Item(id: 5, text: "Text.", metadataJSON: "{\"product\": \"\\u001b[31m\(long)\", \"stars\": 4}",
                        createdAt: Date(timeIntervalSince1970: 0))
        let lines = text(Fixtures.state(current: QueuedItem(item: item, prediction: nil)))
        let details = lines[17]
        #expect(details.hasPrefix(" product: ␛[31mvery long"))
        #expect(details.hasSuffix("…"))
        #expect(!details.contains("\u{1B}"))
    }

    // MARK: Review

    static let votes = [ItemVote(annotator: "alice", label: "positive"), ItemVote(annotator: "bob", label: "negative"),
                        ItemVote(annotator: "carol", label: "positive")]

    func reviewState(votes: [ItemVote] = votes, suggestion: String? = "positive") -> LabelingState {
        var setup = Fixtures.setup()
        setup.mode = .review
        setup.listedItemCount = 3
        let prediction = suggestion.map {
            Prediction(itemId: 5, model: Disagreements.dawidSkeneSuggestion, source: .imported, label: $0, probabilities: [$0: 0.9])
        }
        let items = [QueuedItem(item: Fixtures.item(5, "Disputed."), prediction: prediction, votes: votes, modelLabel: "negative"),
                     QueuedItem(item: Fixtures.item(6, "Another."), prediction: nil, votes: votes)]
        return queueState(items: items, setup: setup, counts: Self.counts(items: 10, open: 0))
    }

    @Test func theReviewShowsTheTallyWhoSaidWhatAndTheSuggestion() {
        let lines = text(reviewState())
        #expect(row(lines, containing: "Votes") == " Votes      positive 2 · negative 1 · LLM: negative")
        #expect(row(lines, containing: "carol") == "            alice positive   bob negative   carol positive")
        #expect(row(lines, containing: "Suggested") == " Suggested  ▸ positive  Dawid-Skene  Enter accepts, a label key overrules")
        #expect(row(lines, containing: "reviewed ")?.hasPrefix(" reviewed 0 · left 3 of 3 · ") == true)
        #expect(lines[23].contains("Enter accept suggestion"))
    }

    @Test func manyVotesFitTheWidthWithACountOfTheRest() {
        let many = (1...30).map { ItemVote(annotator: "annotator\($0)", label: $0 % 3 == 0 ? "negative" : "positive") }
        let lines = text(reviewState(votes: many))
        let list = lines.filter { $0.contains("annotator") }
        #expect(list.count == ItemDetailsView.maximumVoteRows)
        #expect(list.allSatisfy { $0.count <= 80 && !$0.hasSuffix("…") })
        let shown = list.joined().components(separatedBy: "annotator").count - 1
        #expect(list.last?.hasSuffix("+\(30 - shown) more") == true)
        #expect(row(lines, containing: "Votes") == " Votes      positive 20 · negative 10 · LLM: negative")
    }

    @Test func enterAcceptsTheSuggestionAndTheConfirmationNamesIt() {
        let state = decide(reviewState(), .enter, id: 9)
        #expect(state.history.last?.decision.kind == .adjudicate)
        #expect(state.history.last?.decision.label == "positive")
        #expect(row(text(state), containing: "item 5") == " ✓ item 5 reviewed: final label positive")
        #expect(row(text(state), containing: "reviewed 1") != nil)
        #expect(row(text(state), containing: "left 2 of 3") != nil)
    }

    @Test func overrulingTheSuggestionSaysWhatWasSuggested() {
        let state = decide(reviewState(), .character("2"), id: 9)
        #expect(state.history.last?.decision.kind == .adjudicate)
        #expect(row(text(state), containing: "item 5") == " ✓ item 5 reviewed: final label negative (suggested positive)")
    }

    @Test func aTieHasNoSuggestionAndEnterAsksForALabel() {
        let tied = [ItemVote(annotator: "alice", label: "positive"), ItemVote(annotator: "bob", label: "negative")]
        let state = reviewState(votes: tied, suggestion: nil)
        #expect(row(text(state), containing: "Suggested") == " Suggested  none: the votes are tied, pick a label")
        let (after, effects) = LabelingReducer.reduce(state, .key(.enter, now: 101))
        #expect(effects.isEmpty && after.message == .noPrelabel)
    }

    @Test func theReviewHelpDescribesReviewKeys() {
        var state = reviewState()
        state.overlay = .help(scroll: 0)
        let screen = text(state).joined(separator: "\n")
        #expect(screen.contains("accept the suggested final label"))
        #expect(screen.contains("leave this disagreement for a later review"))
        #expect(screen.contains("final label positive"))
        #expect(!screen.contains("accept the pre-label"))
    }

    @Test func theLabelingHelpSaysWhatTheConfidenceNumberIs() {
        let lines = HelpOverlayView.lines(LabelingState(setup: Fixtures.setup(), size: ScreenSize(rows: 60, columns: 80),
                                                        capabilities: .full), width: 72)
        let help = lines.map { $0.runs.flatMap(\.glyphs).map(\.text).joined() }.joined(separator: " ")
        #expect(help.contains("calibrated on the labels people gave"))
        #expect(help.contains("the model's raw probability"))
    }

    // MARK: Audit

    func auditState(count: Int) -> LabelingState {
        var setup = Fixtures.setup()
        setup.mode = .audit
        setup.listedItemCount = count
        let items = (1...Int64(count)).map { id in
            QueuedItem(item: Fixtures.item(id, "Audited \(id)."),
                       prediction: Prediction(itemId: id, model: "auto-accepted", label: "positive", probabilities: ["positive": 1]))
        }
        return queueState(items: items, setup: setup, counts: Self.counts(items: 10, open: 4))
    }

    @Test func anAuditConfirmationNamesTheLabelAndTheVerdict() {
        var state = decide(auditState(count: 2), .enter, id: 1)
        #expect(row(text(state), containing: "item 1") == " ✓ item 1 audit: confirmed positive")
        state = decide(state, .character("2"), id: 2)
        #expect(row(text(state), containing: "item 2") == " ✓ item 2 audit: corrected positive → negative")
    }

    @Test func theEndOfAnAuditSampleSaysTheSampleIsDone() {
        var state = auditState(count: 2)
        state = decide(state, .enter, id: 1)
        state = decide(state, .enter, id: 2)
        let lines = text(state)
        #expect(lines[2].hasPrefix(" The audit sample is done: 2 of 2 items checked."))
        #expect(!lines.joined().contains("Nothing left to label"))
        #expect(row(lines, containing: "audited ")?.hasPrefix(" audited 2 · left 0 of 2 · ") == true)
        #expect(lines[23].contains("Enter confirm"))
    }

    @Test func theAuditHelpDescribesAuditKeys() {
        var state = auditState(count: 2)
        state.overlay = .help(scroll: 0)
        let screen = text(state).joined(separator: "\n")
        #expect(screen.contains("confirm the auto-accepted label"))
        #expect(screen.contains("the shown label's own key confirms it"))
        #expect(!screen.contains("accept the pre-label"))
    }

    // MARK: Reopening

    @Test func quittingKeepsTheItemOnScreenForTheNextSession() {
        let items = (1...3).map { QueuedItem(item: Fixtures.item($0, "Item \($0)."), prediction: nil) }
        let state = decide(queueState(items: items, counts: Self.counts(items: 3, open: 3)), .character("1"), id: 1)
        #expect(LabelingReducer.reduce(state, .key(.character("q"), now: 102)).1 == [.quit(keepingLeaseOn: 2)])
        var audit = auditState(count: 1)
        audit = LabelingReducer.reduce(audit, .key(.character("q"), now: 102)).0
        #expect(audit.isFinished)
        #expect(LabelingReducer.reduce(auditState(count: 1), .key(.character("q"), now: 102)).1 == [.quit(keepingLeaseOn: nil)])
    }
}
