import Foundation
import Testing
import AnnottyCore
@testable import AnnottyTUI

/// Entity-spans fixtures: CoNLL's four types with keys 1-4, and a sentence whose pre-label finds
/// the two people and the city but types Merkel as an organisation.
enum SpanFixtures {
    static let labels = LabelSet([
        Label(name: "PER", key: "1"), Label(name: "ORG", key: "2"),
        Label(name: "LOC", key: "3"), Label(name: "MISC", key: "4"),
    ])
    // Scalar offsets: Boris 0-5, Johnson 6-13, met 14-17, Angela 18-24, Merkel 25-31, in 32-34,
    // Berlin 35-41, on 42-44, Monday 45-51, "." 52-53.
    static let text = "Boris Johnson met Angela Merkel in Berlin on Monday ."

    static func setup(mode: LabelingMode = .label, keys: [String: [String]] = [:]) -> LabelingSetup {
        LabelingSetup(projectName: "News", annotator: "alice", labels: labels,
                      keymap: try! Keymap(labels: labels, overrides: keys), lookahead: 4, mode: mode, task: .spans)
    }

    static func span(_ start: Int, _ end: Int, _ type: String, in text: String = text) -> EntitySpan {
        EntitySpan(start: start, end: end, type: type, text: ScalarText(text).slice(start, end)!)
    }

    /// A span pre-label as the contract has it: the set's label, each span's confidence by its key
    /// text, the set's confidence the least sure span's.
    static func prediction(itemId: Int64, _ spans: [(EntitySpan, Double)], id: Int64 = 80) -> Prediction {
        let label = SpanAnnotation.label(for: spans.map(\.0))
        let probabilities = Dictionary(uniqueKeysWithValues: spans.map { ($0.0.key.text, $0.1) })
        return Prediction(id: id, itemId: itemId, model: "test-model", source: .llm, label: label,
                          probabilities: probabilities, createdAt: Date(timeIntervalSince1970: 0))
    }

    static let proposal: [(EntitySpan, Double)] = [(span(0, 13, "PER"), 0.9), (span(18, 31, "ORG"), 0.55),
                                                   (span(35, 41, "LOC"), 0.8)]
}

@Suite struct SpanReducerTests {
    typealias F = SpanFixtures
    let first = QueuedItem(item: Fixtures.item(1, F.text), prediction: F.prediction(itemId: 1, F.proposal, id: 41))
    let second = QueuedItem(item: Fixtures.item(2, "Reuters reported from Paris ."), prediction: nil)

    func started(items: [QueuedItem]? = nil, keys: [String: [String]] = [:]) -> LabelingState {
        var state = LabelingState(setup: F.setup(keys: keys), size: ScreenSize(rows: 24, columns: 80), capabilities: .full)
        state = LabelingReducer.reduce(state, .started(now: 100)).0
        return LabelingReducer.reduce(state, .itemsClaimed(items ?? [first, second], requested: 5, replacing: false,
                                                           now: 100)).0
    }

    func press(_ state: LabelingState, _ keys: KeyPress...) -> (LabelingState, [LabelingEffect]) {
        var state = state
        var effects: [LabelingEffect] = []
        for key in keys {
            let result = LabelingReducer.reduce(state, .key(key, now: 101))
            state = result.0
            effects += result.1
        }
        return (state, effects)
    }

    func spanDecision(_ effects: [LabelingEffect]) -> (Decision, [EntitySpan])? {
        for effect in effects { if case .recordSpanDecision(let decision, let spans) = effect { return (decision, spans) } }
        return nil
    }

    func shownKeys(_ state: LabelingState) -> [String] {
        state.spanEditor.shown.map { "\($0.span.key.text)\($0.status == .proposed ? "?" : "")" }
    }

    @Test func anItemStartsWithItsPrelabelsSpansProposed() {
        let state = started()
        #expect(state.currentSpans?.itemId == 1)
        #expect(shownKeys(state) == ["0-13:PER?", "18-31:ORG?", "35-41:LOC?"])
        #expect(state.spanEditor.shown.map(\.confidence) == [0.9, 0.55, 0.8])
        // The proposals' edges cut the words: every span covers whole words.
        #expect(state.spanEditor.tokens.map(\.text).prefix(5) == ["Boris", "Johnson", "met", "Angela", "Merkel"])
    }

    @Test func enterWithNothingChangedCommitsTheProposalAsAnAccept() throws {
        let (_, effects) = press(started(), .enter)
        let (decision, spans) = try #require(spanDecision(effects))
        #expect(decision.kind == .accept)
        #expect(decision.label == "spans:0-13:PER,18-31:ORG,35-41:LOC")
        #expect(decision.shownLabel == "spans:0-13:PER,18-31:ORG,35-41:LOC")
        #expect(spans.map(\.text) == ["Boris Johnson", "Angela Merkel", "Berlin"])
        #expect(!effects.contains { if case .recordDecision = $0 { true } else { false } })
    }

    @Test func tabSelectsTheNextSpanAndWrapsAround() {
        var (state, _) = press(started(), .tab)
        #expect(state.spanEditor.focus == .span(SpanKey(start: 0, end: 13, type: "PER")))
        // The status line says what is selected, how sure the pre-label was, and the keys for it.
        #expect(state.message == .spanEdited("PER \"Boris Johnson\": proposed 0.90; y accepts, x rejects, 1-4 retypes"))
        (state, _) = press(state, .tab, .tab)
        #expect(state.spanEditor.focus == .span(SpanKey(start: 35, end: 41, type: "LOC")))
        (state, _) = press(state, .tab)
        #expect(state.spanEditor.focus == .span(SpanKey(start: 0, end: 13, type: "PER")))
        (state, _) = press(state, .character("p"))
        #expect(state.spanEditor.focus == .span(SpanKey(start: 35, end: 41, type: "LOC")))
    }

    @Test func yAcceptsTheSelectedProposalAndMovesToTheNextOne() {
        let (state, effects) = press(started(), .tab, .character("y"))
        #expect(shownKeys(state) == ["0-13:PER", "18-31:ORG?", "35-41:LOC?"])
        #expect(state.spanEditor.focus == .span(SpanKey(start: 18, end: 31, type: "ORG")))
        #expect(state.message == .spanEdited("accepted: PER \"Boris Johnson\""))
        #expect(spanDecision(effects) == nil)
    }

    @Test func xRejectsTheSelectedProposalAndEnterLeavesItOutAsACorrection() throws {
        let (state, _) = press(started(), .tab, .tab, .character("x"))
        #expect(shownKeys(state) == ["0-13:PER?", "35-41:LOC?"])
        #expect(state.message == .spanEdited("rejected: ORG \"Angela Merkel\""))
        let (_, effects) = press(state, .enter)
        let (decision, spans) = try #require(spanDecision(effects))
        #expect(decision.kind == .correct)
        #expect(decision.label == "spans:0-13:PER,35-41:LOC")
        #expect(spans.map(\.key.text) == ["0-13:PER", "35-41:LOC"])
    }

    @Test func theRejectActionOfTheProdigyPresetRejectsTheSelectedSpanToo() {
        let (state, _) = press(started(keys: ["preset": ["prodigy"]]), .tab, .character("x"))
        #expect(shownKeys(state) == ["18-31:ORG?", "35-41:LOC?"])
    }

    @Test func aTypeKeyOnASelectedSpanRetypesIt() throws {
        let (state, _) = press(started(), .tab, .tab, .character("1"))
        #expect(shownKeys(state) == ["0-13:PER?", "18-31:PER", "35-41:LOC?"])
        #expect(state.message == .spanEdited("retyped \"Angela Merkel\": ORG -> PER"))
        let (decision, _) = try #require(spanDecision(press(state, .enter).1))
        #expect(decision.kind == .correct)
        #expect(decision.label == "spans:0-13:PER,18-31:PER,35-41:LOC")
    }

    @Test func theWordCursorAndExtendThenATypeKeyMakeASpan() throws {
        // Right from nothing lands on the first word; Right again on the next, and so on.
        var (state, _) = press(started(), .right)
        #expect(state.spanEditor.selectedTokenRange == 0...0)
        (state, _) = press(state, .right, .right, .right, .right, .right, .right, .right)
        #expect(state.spanEditor.tokens[state.spanEditor.selectedTokenRange!.lowerBound].text == "on")
        (state, _) = press(state, .character(">"))
        #expect(state.spanEditor.selectedTokenRange.map { state.spanEditor.tokens[$0].map(\.text) } == ["on", "Monday"])
        (state, _) = press(state, .character("<"), .right, .character("4"))
        #expect(shownKeys(state) == ["0-13:PER?", "18-31:ORG?", "35-41:LOC?", "45-51:MISC"])
        #expect(state.spanEditor.focus == .span(SpanKey(start: 45, end: 51, type: "MISC")))
        #expect(state.message == .spanEdited("made MISC: \"Monday\""))
        let (decision, spans) = try #require(spanDecision(press(state, .enter).1))
        #expect(decision.kind == .correct)
        #expect(spans.last == F.span(45, 51, "MISC"))
    }

    @Test func aSpanMadeOverAnotherReplacesIt() {
        // Left from the selected span lands on the word before it; then right to "Merkel" alone.
        var (state, _) = press(started(), .tab, .tab, .left)
        #expect(state.spanEditor.tokens[state.spanEditor.selectedTokenRange!.lowerBound].text == "met")
        (state, _) = press(state, .right, .right)
        #expect(state.spanEditor.tokens[state.spanEditor.selectedTokenRange!.lowerBound].text == "Merkel")
        (state, _) = press(state, .character("1"))
        #expect(shownKeys(state) == ["0-13:PER?", "25-31:PER", "35-41:LOC?"])
        #expect(state.message == .spanEdited("made PER: \"Merkel\" (replacing ORG \"Angela Merkel\")"))
    }

    @Test func capitalAAcceptsEveryProposal() throws {
        let (state, _) = press(started(), .character("A"))
        #expect(shownKeys(state) == ["0-13:PER", "18-31:ORG", "35-41:LOC"])
        let (decision, _) = try #require(spanDecision(press(state, .enter).1))
        #expect(decision.kind == .accept)
    }

    @Test func undoTakesBackSpanEditsOneAtATimeThenUndoesTheLastDecision() {
        // Reject Boris Johnson, then go on to Berlin and confirm it with its own type key.
        var (state, effects) = press(started(), .tab, .character("x"), .tab, .character("3"))
        #expect(shownKeys(state) == ["18-31:ORG?", "35-41:LOC"])
        (state, effects) = press(state, .character("u"))
        #expect(shownKeys(state) == ["18-31:ORG?", "35-41:LOC?"])
        #expect(effects.isEmpty)
        (state, effects) = press(state, .character("u"))
        #expect(shownKeys(state) == ["0-13:PER?", "18-31:ORG?", "35-41:LOC?"])
        #expect(state.message == .spanEdited("undid: rejected PER \"Boris Johnson\""))
        (state, effects) = press(state, .character("u"))
        #expect(effects == [.undoLastDecision])
    }

    @Test func anUndoneDecisionBringsBackItsSpansToEdit() {
        var state = started()
        let (_, effects) = press(state, .tab, .character("x"), .enter)
        var saved = spanDecision(effects)!.0
        saved.id = 7
        state = LabelingReducer.reduce(press(state, .tab, .character("x")).0, .decisionRecorded(saved, now: 102)).0
        #expect(state.current?.item.id == 2)
        #expect(state.currentSpans?.shown.isEmpty == true)
        state = LabelingReducer.reduce(state, .undone(saved, restored: first, now: 103)).0
        #expect(state.current?.item.id == 1)
        #expect(shownKeys(state) == ["18-31:ORG", "35-41:LOC"])
        // Committing them unchanged is still a correction of the pre-label.
        let (decision, _) = spanDecision(press(state, .enter).1)!
        #expect(decision.kind == .correct)
    }

    @Test func withoutAPrelabelTypeKeysNeedASelectionAndEnterSavesACorrection() throws {
        var state = started(items: [second])
        var effects: [LabelingEffect]
        (state, effects) = press(state, .character("2"))
        #expect(effects.isEmpty)
        if case .spanHint(let hint) = state.message { #expect(hint.contains("Select words first")) } else {
            Issue.record("expected a hint, got \(String(describing: state.message))")
        }
        (state, _) = press(state, .right, .character("2"), .tab)
        let (decision, spans) = try #require(spanDecision(press(state, .enter).1))
        #expect(decision.kind == .correct)
        #expect(decision.shownLabel == nil)
        #expect(spans == [EntitySpan(start: 0, end: 7, type: "ORG", text: "Reuters")])
    }

    @Test func aPrelabelArrivingLaterIsProposedUnlessThePersonHasEdited() {
        var state = started(items: [second])
        let late = F.prediction(itemId: 2, [(F.span(22, 27, "LOC", in: "Reuters reported from Paris ."), 0.7)], id: 50)
        state = LabelingReducer.reduce(state, .predictionArrived(late)).0
        #expect(shownKeys(state) == ["22-27:LOC?"])
        var edited = started(items: [second])
        edited = press(edited, .right, .character("2")).0
        edited = LabelingReducer.reduce(edited, .predictionArrived(late)).0
        #expect(shownKeys(edited) == ["0-7:ORG"])
    }

    @Test func spanKeysGiveWayToBoundKeys() {
        // With `x` bound to skip, x skips the item instead of rejecting a span; d still rejects.
        let state = started(keys: ["skip": ["x"]])
        let (_, skipped) = press(state, .tab, .character("x"))
        #expect(skipped.contains { if case .recordDecision(let d) = $0 { d.kind == .skip } else { false } })
        let (rejected, _) = press(state, .tab, .character("d"))
        #expect(shownKeys(rejected) == ["18-31:ORG?", "35-41:LOC?"])
    }

    @Test func theWordCursorKeepsALongTextScrolledIntoView() {
        let words = (1...300).map { "w\($0)" }.joined(separator: " ")
        let long = QueuedItem(item: Fixtures.item(3, words + " Paris ."), prediction: nil)
        var state = started(items: [long])
        #expect(state.itemScroll == 0)
        // Left from nothing goes to the last word, at the end of the text.
        state = press(state, .left).0
        #expect(state.itemScroll > 0)
        #expect(state.itemScroll == ItemView.maximumScroll(state))
        // Make the last word a span; scrolled back to the top, Tab brings that span into view.
        state = press(state, .character("3"), .escape).0
        state.itemScroll = 0
        state = press(state, .tab).0
        #expect(state.itemScroll == ItemView.maximumScroll(state))
    }

    @Test func escapeClearsTheSelection() {
        let (state, _) = press(started(), .right, .escape)
        #expect(state.spanEditor.focus == .none)
    }
}

/// `annotty browse` on a spans project: a type key does not store a bare type name as a new
/// answer (not a span set); it says where spans are edited.
@Suite struct SpanBrowseTests {
    @Test func aTypeKeyInAnOpenedItemSavesNothingAndSaysWhere() throws {
        let labels = SpanFixtures.labels
        let setup = BrowseSetup(projectName: "News", annotator: "alice", labels: labels,
                                keymap: try BrowseKeymap(labels: labels), pageSize: 10, task: .spans)
        let row = BrowsedItem(item: Fixtures.item(1, SpanFixtures.text), isOpen: false, finalLabel: "spans:0-13:PER",
                              finalKind: .correct, prediction: nil,
                              votes: [ItemVote(annotator: "bob", label: "spans:0-13:PER")], flags: [])
        var state = BrowseState(setup: setup, size: ScreenSize(rows: 24, columns: 80), capabilities: .ascii)
        state = BrowseReducer.reduce(state, .started).0
        state = BrowseReducer.reduce(state, .itemsLoaded([row], offset: 0, total: 1, filter: BrowseFilter())).0
        state = BrowseReducer.reduce(state, .key(.enter)).0
        let (after, effects) = BrowseReducer.reduce(state, .key(.character("2")))
        #expect(effects.isEmpty)
        #expect(after.message == .spansEditedInLabel)
        let screen = MemoryScreen(size: after.size, capabilities: after.capabilities)
        BrowseView.render(after, on: screen)
        #expect(screen.text.contains("Spans are not changed here"))
    }
}
