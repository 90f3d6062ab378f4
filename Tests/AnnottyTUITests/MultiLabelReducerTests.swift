import Foundation
import Testing
import AnnottyCore
@testable import AnnottyTUI

/// Multi-label fixtures: Ekman's emotions with keys 1-4, and pre-labels whose per-label
/// probabilities of being in the set decide the predicted set.
enum MultiLabelFixtures {
    static let labels = LabelSet([
        Label(name: "anger", key: "1"), Label(name: "fear", key: "2"),
        Label(name: "joy", key: "3"), Label(name: "sadness", key: "4"),
    ])

    static func setup(allowEmptySet: Bool = true, mode: LabelingMode = .label) -> LabelingSetup {
        var setup = LabelingSetup(projectName: "Emotions", annotator: "alice", labels: labels,
                                  keymap: try! Keymap(labels: labels), lookahead: 4, mode: mode,
                                  task: .multi, allowEmptySet: allowEmptySet)
        setup.textFieldName = "text"
        return setup
    }

    /// A multi-label pre-label: `inProbabilities` in label order; the set is those at 0.5 or more.
    static func prediction(itemId: Int64, _ inProbabilities: [Double], id: Int64 = 70,
                           calibrated: [Double]? = nil) -> Prediction {
        let raw = Dictionary(uniqueKeysWithValues: zip(labels.names, inProbabilities))
        var prediction = Prediction(id: id, itemId: itemId, model: "test-model", source: .llm,
                                    label: MultiLabelAnswer.predicted(inProbabilities: inProbabilities, labels: labels).encoded,
                                    probabilities: raw, createdAt: Date(timeIntervalSince1970: 0))
        if let calibrated {
            prediction.calibratedProbabilities = Dictionary(uniqueKeysWithValues: zip(labels.names, calibrated))
            prediction.calibratedLabel = MultiLabelAnswer.predicted(inProbabilities: calibrated, labels: labels).encoded
            prediction.calibratedConfidence = MultiLabelAnswer.settledness(calibrated)
        }
        return prediction
    }

    static func encoded(_ names: String...) -> String {
        MultiLabelAnswer(names, labels: labels).encoded
    }
}

@Suite struct MultiLabelReducerTests {
    typealias F = MultiLabelFixtures
    /// Pre-labelled {fear, joy}: joy surely in, fear barely.
    let first = QueuedItem(item: Fixtures.item(1, "I passed, but the interview scared me."),
                           prediction: F.prediction(itemId: 1, [0.1, 0.6, 0.9, 0.2], id: 41))
    let second = QueuedItem(item: Fixtures.item(2, "The bus was late."), prediction: nil)
    let third = QueuedItem(item: Fixtures.item(3, "Lost my keys again."), prediction: nil)

    func started(allowEmptySet: Bool = true, items: [QueuedItem]? = nil) -> LabelingState {
        var state = LabelingState(setup: F.setup(allowEmptySet: allowEmptySet), size: ScreenSize(rows: 24, columns: 80),
                                  capabilities: .full)
        state = LabelingReducer.reduce(state, .started(now: 100)).0
        return LabelingReducer.reduce(state, .itemsClaimed(items ?? [first, second, third], requested: 5,
                                                           replacing: false, now: 100)).0
    }

    func press(_ state: LabelingState, _ keys: String..., now: TimeInterval = 101) -> (LabelingState, [LabelingEffect]) {
        var state = state
        var effects: [LabelingEffect] = []
        for name in keys {
            let result = LabelingReducer.reduce(state, .key(KeyPress(name: name)!, now: now))
            state = result.0
            effects += result.1
        }
        return (state, effects)
    }

    func recordedDecision(_ effects: [LabelingEffect]) -> Decision? {
        for effect in effects { if case .recordDecision(let decision) = effect { return decision } }
        return nil
    }

    /// The state after the store confirmed `decision`, as the controller would feed it back.
    func committed(_ state: LabelingState, _ decision: Decision, id: Int64, now: TimeInterval = 102) -> LabelingState {
        var saved = decision
        saved.id = id
        return LabelingReducer.reduce(state, .decisionRecorded(saved, now: now)).0
    }

    func names(_ state: LabelingState) -> [String] {
        MultiLabelAnswer(indices: state.selectedIndices, labels: F.labels).names
    }

    @Test func anItemStartsWithItsPrelabelsSetTickedAndOneWithoutAPrelabelWithNothing() {
        let state = started()
        #expect(names(state) == ["fear", "joy"])
        let next = started(items: [second, first])
        #expect(next.current?.item.id == 2)
        #expect(next.selectedIndices.isEmpty)
    }

    @Test func aLabelKeyTogglesWithoutSavingAndTogglingBackRestoresTheSet() {
        let (ticked, tickEffects) = press(started(), "1")
        #expect(names(ticked) == ["anger", "fear", "joy"])
        #expect(recordedDecision(tickEffects) == nil)
        #expect(ticked.current?.item.id == 1)
        #expect(ticked.message == .toggled(label: "anger", isIn: true, selection: ["anger", "fear", "joy"]))
        let (unticked, untickEffects) = press(ticked, "1")
        #expect(names(unticked) == ["fear", "joy"])
        #expect(recordedDecision(untickEffects) == nil)
        #expect(unticked.message == .toggled(label: "anger", isIn: false, selection: ["fear", "joy"]))
    }

    @Test func enterOnThePrelabelsSetAcceptsIt() throws {
        let decision = try #require(recordedDecision(press(started(), "Enter", now: 102.5).1))
        #expect(decision.kind == .accept)
        #expect(decision.label == F.encoded("fear", "joy"))
        #expect(decision.label == #"["fear","joy"]"#)
        #expect(decision.shownLabel == F.encoded("fear", "joy"))
        // The set's confidence is its least settled label's: fear at 0.6.
        #expect(abs((decision.shownConfidence ?? 0) - 0.6) < 1e-9)
        #expect(decision.predictionId == 41)
        #expect(decision.timeSpentMs == 2500)
    }

    @Test func enterOnAChangedSetCorrectsThePrelabel() throws {
        let decision = try #require(recordedDecision(press(started(), "2", "4", "Enter").1))
        #expect(decision.kind == .correct)
        #expect(decision.label == F.encoded("joy", "sadness"))
        #expect(decision.shownLabel == F.encoded("fear", "joy"))
    }

    @Test func changingTheSetAndChangingItBackIsStillAnAccept() throws {
        let decision = try #require(recordedDecision(press(started(), "2", "2", "Enter").1))
        #expect(decision.kind == .accept)
        #expect(decision.label == F.encoded("fear", "joy"))
    }

    @Test func theCalibratedSetIsTheOneTickedAndAccepted() throws {
        // Raw: fear and joy in; calibrated: only joy.
        let calibrated = QueuedItem(item: first.item, prediction: F.prediction(itemId: 1, [0.1, 0.6, 0.9, 0.2], id: 41,
                                                                            calibrated: [0.05, 0.3, 0.85, 0.1]))
        let state = started(items: [calibrated])
        #expect(names(state) == ["joy"])
        let decision = try #require(recordedDecision(press(state, "Enter").1))
        #expect(decision.kind == .accept)
        #expect(decision.label == F.encoded("joy"))
        #expect(abs((decision.shownConfidence ?? 0) - 0.7) < 1e-9)
    }

    @Test func anEmptySetIsSavedWhereTheProjectAllowsIt() throws {
        let state = started(items: [second, third])
        let decision = try #require(recordedDecision(press(state, "Enter").1))
        #expect(decision.kind == .correct)
        #expect(decision.label == "[]")
        #expect(decision.shownLabel == nil)
        // Unticking every pre-labelled label is an empty set too: a correction of the pre-label.
        let emptied = try #require(recordedDecision(press(started(), "2", "3", "Enter").1))
        #expect(emptied.kind == .correct)
        #expect(emptied.label == "[]")
    }

    @Test func anEmptySetIsRefusedWithTheKeysToPickWhereTheProjectNeedsALabel() throws {
        let (refused, effects) = press(started(allowEmptySet: false, items: [second, third]), "Enter")
        #expect(recordedDecision(effects) == nil)
        #expect(refused.message == .emptySetRefused)
        #expect(refused.current?.item.id == 2)
        let text = try #require(MessageView.line(refused)).runs.map(\.glyphs.text).joined()
        #expect(text.contains("at least one label (1-4)"))
        // With a label ticked the same key saves.
        let decision = try #require(recordedDecision(press(refused, "3", "Enter").1))
        #expect(decision.label == F.encoded("joy"))
    }

    @Test func undoRevertsTogglesOneAtATimeBeforeUndoingADecision() {
        let (toggled, _) = press(started(), "1", "3")
        #expect(names(toggled) == ["anger", "fear"])
        let (once, onceEffects) = press(toggled, "u")
        #expect(names(once) == ["anger", "fear", "joy"])
        #expect(once.message == .toggleReverted(label: "joy", isIn: true, selection: ["anger", "fear", "joy"]))
        #expect(!onceEffects.contains(.undoLastDecision))
        let (twice, twiceEffects) = press(once, "u")
        #expect(names(twice) == ["fear", "joy"])
        #expect(twice.message == .toggleReverted(label: "anger", isIn: false, selection: ["fear", "joy"]))
        #expect(!twiceEffects.contains(.undoLastDecision))
        // No toggle left: undo goes to the store.
        let (_, thirdEffects) = press(twice, "u")
        #expect(thirdEffects.contains(.undoLastDecision))
    }

    @Test func undoingACommitBringsTheItemBackWithTheSetItWasGiven() throws {
        // Item 1 saved as {anger, joy}; item 2 is on screen.
        let (changed, effects) = press(started(), "1", "2", "Enter")
        let decision = try #require(recordedDecision(effects))
        let after = committed(changed, decision, id: 7)
        #expect(after.current?.item.id == 2)
        #expect(after.selectedIndices.isEmpty)
        let (asked, undoEffects) = press(after, "u")
        #expect(undoEffects.contains(.undoLastDecision))
        var saved = decision
        saved.id = 7
        let restored = try #require(after.history.last?.item)
        let back = LabelingReducer.reduce(asked, .undone(saved, restored: restored, now: 103)).0
        #expect(back.current?.item.id == 1)
        #expect(back.upcoming.first?.item.id == 2)
        #expect(names(back) == ["anger", "joy"])
        #expect(back.message == .undid(itemId: 1, kind: .correct, label: F.encoded("anger", "joy")))
        // Change it and commit again: a correction of the pre-label with the new set.
        let again = try #require(recordedDecision(press(back, "4", "Enter", now: 104).1))
        #expect(again.itemId == 1)
        #expect(again.kind == .correct)
        #expect(again.label == F.encoded("anger", "joy", "sadness"))
        #expect(again.shownLabel == F.encoded("fear", "joy"))
    }

    @Test func undoingASkipBringsTheItemBackWithItsPrelabelsSet() throws {
        let (skipped, effects) = press(started(), "1", "s")
        let decision = try #require(recordedDecision(effects))
        #expect(decision.kind == .skip)
        #expect(decision.label == nil)
        let after = committed(skipped, decision, id: 8)
        var saved = decision
        saved.id = 8
        let back = LabelingReducer.reduce(after, .undone(saved, restored: first, now: 103)).0
        #expect(back.current?.item.id == 1)
        #expect(names(back) == ["fear", "joy"])
    }

    @Test func aPrelabelArrivingForAnItemBroughtBackByUndoLeavesTheGivenSetTicked() throws {
        let bare = QueuedItem(item: second.item, prediction: nil)
        let given = Decision(id: 12, itemId: 2, annotator: "alice", kind: .correct, label: F.encoded("anger"),
                             createdAt: Date(timeIntervalSince1970: 0))
        let back = LabelingReducer.reduce(started(items: [third]), .undone(given, restored: bare, now: 103)).0
        #expect(back.current?.item.id == 2)
        #expect(names(back) == ["anger"])
        let arrived = LabelingReducer.reduce(back, .predictionArrived(F.prediction(itemId: 2, [0.1, 0.9, 0.9, 0.1]))).0
        #expect(arrived.shownPrelabel != nil)
        #expect(names(arrived) == ["anger"])
    }

    @Test func aSingleLabelPredictionOnAMultiLabelProjectIsNotOfferedAsASet() throws {
        let stray = Prediction(id: 3, itemId: 2, model: "old", label: "joy", probabilities: ["joy": 0.9],
                               createdAt: Date(timeIntervalSince1970: 0))
        let state = LabelingReducer.reduce(started(items: [second]), .predictionArrived(stray)).0
        #expect(state.shownPrelabel == nil)
        #expect(state.selectedIndices.isEmpty)
        let line = PrelabelView.line(state, width: 78).runs.map(\.glyphs.text).joined()
        #expect(line.contains("\"joy\" is not a set of the labels"))
    }

    @Test func aPrelabelArrivingBeforeAnyToggleFillsTheSelection() {
        let state = started(items: [second, third])
        #expect(state.selectedIndices.isEmpty)
        let arrived = LabelingReducer.reduce(state, .predictionArrived(F.prediction(itemId: 2, [0.7, 0.2, 0.1, 0.8]))).0
        #expect(names(arrived) == ["anger", "sadness"])
        // Before any toggle, a newer pre-label replaces the older one's set.
        let newer = LabelingReducer.reduce(arrived, .predictionArrived(F.prediction(itemId: 2, [0.1, 0.9, 0.1, 0.1], id: 71))).0
        #expect(names(newer) == ["fear"])
    }

    @Test func aPrelabelArrivingAfterAToggleLeavesThePersonsSetAlone() throws {
        let (toggled, _) = press(started(items: [second, third]), "3")
        let arrived = LabelingReducer.reduce(toggled, .predictionArrived(F.prediction(itemId: 2, [0.7, 0.2, 0.1, 0.8]))).0
        #expect(names(arrived) == ["joy"])
        #expect(arrived.shownPrelabel != nil)
        // The set is the person's: saved as a correction of the pre-label that arrived.
        let decision = try #require(recordedDecision(press(arrived, "Enter").1))
        #expect(decision.kind == .correct)
        #expect(decision.label == F.encoded("joy"))
        #expect(decision.shownLabel == F.encoded("anger", "sadness"))
        // Reverting the toggle does not hand the set back to the pre-label either.
        let reverted = press(arrived, "u").0
        #expect(reverted.selectedIndices.isEmpty)
    }

    @Test func aPrelabelForTheNextItemTicksItsSetWhenItComesUp() throws {
        let state = LabelingReducer.reduce(started(items: [second, third]),
                                           .predictionArrived(F.prediction(itemId: 3, [0.2, 0.2, 0.2, 0.9]))).0
        #expect(state.selectedIndices.isEmpty)
        let decision = try #require(recordedDecision(press(state, "1", "Enter").1))
        let next = committed(state, decision, id: 9)
        #expect(next.current?.item.id == 3)
        #expect(names(next) == ["sadness"])
    }

    @Test func otherOpinionAndRejectSayTheyAreForSingleLabelProjects() throws {
        var setup = F.setup()
        setup.keymap = try Keymap(labels: F.labels, overrides: ["preset": ["prodigy"]])
        var state = LabelingState(setup: setup, size: ScreenSize(rows: 24, columns: 80), capabilities: .full)
        state = LabelingReducer.reduce(state, .itemsClaimed([first], requested: 5, replacing: false, now: 100)).0
        let (rejected, rejectEffects) = press(state, "x")
        #expect(rejected.message == .singleLabelOnly(.reject))
        #expect(recordedDecision(rejectEffects) == nil)
        #expect(names(rejected) == ["fear", "joy"])
        let text = try #require(MessageView.line(rejected)).runs.map(\.glyphs.text).joined()
        #expect(text.contains("single-label projects"))
        let (other, otherEffects) = press(state, "o")
        #expect(other.message == .singleLabelOnly(.other))
        #expect(recordedDecision(otherEffects) == nil)
    }

    @Test func skipAndFlagSaveNoSet() throws {
        let skip = try #require(recordedDecision(press(started(), "3", "s").1))
        #expect(skip.kind == .skip)
        #expect(skip.label == nil)
        let flag = try #require(recordedDecision(press(started(), "f", "Enter").1))
        #expect(flag.kind == .flag)
        #expect(flag.label == nil)
    }

    @Test func anAuditOfASetRecordsTheTickedSetAsTheAuditsAnswer() throws {
        var state = LabelingState(setup: F.setup(mode: .audit), size: ScreenSize(rows: 24, columns: 80), capabilities: .full)
        let accepted = F.encoded("fear", "joy")
        let shown = Prediction(itemId: 1, model: "auto-accepted", label: accepted, probabilities: [accepted: 1])
        state = LabelingReducer.reduce(state, .itemsClaimed([QueuedItem(item: first.item, prediction: shown)], requested: 5,
                                                            replacing: false, now: 100)).0
        #expect(names(state) == ["fear", "joy"])
        let confirmed = try #require(recordedDecision(press(state, "Enter").1))
        #expect(confirmed.kind == .audit)
        #expect(confirmed.label == accepted)
        let corrected = try #require(recordedDecision(press(state, "2", "Enter").1))
        #expect(corrected.kind == .audit)
        #expect(corrected.label == F.encoded("joy"))
        #expect(corrected.shownLabel == accepted)
    }
}
