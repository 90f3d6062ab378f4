import Foundation
import Testing
import AnnottyCore
@testable import AnnottyTUI

@Suite struct LabelingReducerTests {
    let first = QueuedItem(item: Fixtures.item(1, "Great phone."), prediction: Fixtures.prediction(itemId: 1, label: "positive", confidence: 0.9, id: 41))
    let second = QueuedItem(item: Fixtures.item(2, "It broke."), prediction: nil)
    let third = QueuedItem(item: Fixtures.item(3, "Arrived."), prediction: nil)

    func started() -> LabelingState {
        var state = LabelingState(setup: Fixtures.setup(lookahead: 4), size: ScreenSize(rows: 24, columns: 80), capabilities: .full)
        state = LabelingReducer.reduce(state, .started(now: 100)).0
        return LabelingReducer.reduce(state, .itemsClaimed([first, second, third], requested: 5, replacing: false, now: 100)).0
    }

    func recordedDecision(_ effects: [LabelingEffect]) -> Decision? {
        for effect in effects { if case .recordDecision(let decision) = effect { return decision } }
        return nil
    }

    @Test func aClaimTheStoreRefusedIsTriedAgainUntilItWorks() {
        var state = LabelingState(setup: Fixtures.setup(lookahead: 4), size: ScreenSize(rows: 24, columns: 80), capabilities: .full)
        state = LabelingReducer.reduce(state, .started(now: 100)).0
        let full = "disk full: /p/annotty.sqlite: the last change was not saved; free some space"
        state = LabelingReducer.reduce(state, .storeFailed(full)).0
        #expect(state.message == .storeFailed(full))
        // Not at once: the cause needs a moment to go away.
        let (soon, none) = LabelingReducer.reduce(state, .tick(now: 101))
        #expect(!none.contains { if case .claimItems = $0 { return true } else { return false } })
        let (later, retry) = LabelingReducer.reduce(soon, .tick(now: 104))
        #expect(retry.contains { if case .claimItems(_, _, _, let urgent) = $0 { return urgent } else { return false } })
        // Space was freed: the claim works and the item appears.
        let resumed = LabelingReducer.reduce(later, .itemsClaimed([first], requested: 5, replacing: false, now: 104)).0
        #expect(resumed.current?.item.id == first.item.id)
    }

    @Test func startingClaimsTheLookaheadAndRefreshesCounts() {
        let state = LabelingState(setup: Fixtures.setup(lookahead: 4), size: ScreenSize(rows: 24, columns: 80), capabilities: .full)
        let (next, effects) = LabelingReducer.reduce(state, .started(now: 5))
        #expect(effects == [.claimItems(limit: 5, excluding: [], replacing: false, urgent: true), .refreshCounts])
        #expect(next.claimInFlight)
    }

    @Test func claimedItemsShowTheFirstAndAnnounceAllInOrder() {
        let state = LabelingState(setup: Fixtures.setup(lookahead: 4), size: ScreenSize(rows: 24, columns: 80), capabilities: .full)
        let started = LabelingReducer.reduce(state, .started(now: 5)).0
        let (next, effects) = LabelingReducer.reduce(started, .itemsClaimed([first, second, third], requested: 5, replacing: false, now: 6))
        #expect(next.current == first)
        #expect(next.upcoming == [second, third])
        #expect(next.queueExhausted)
        #expect(next.currentShownAt == 6)
        #expect(effects == [.announceUpcoming([1, 2, 3])])
    }

    @Test func acceptRecordsThePrelabelWithWhatWasShownAndTheTimeSpent() throws {
        let (state, effects) = LabelingReducer.reduce(started(), .key(.enter, now: 102.5))
        let decision = try #require(recordedDecision(effects))
        #expect(decision.itemId == 1)
        #expect(decision.kind == .accept)
        #expect(decision.label == "positive")
        #expect(decision.shownLabel == "positive")
        #expect(decision.shownConfidence == 0.9)
        #expect(decision.shownSource == .llm)
        #expect(decision.predictionId == 41)
        #expect(decision.timeSpentMs == 2500)
        #expect(decision.annotator == "alice")
        // Nothing moves until the store confirms the commit.
        #expect(state.current == first)
    }

    @Test func theKeyOfThePrelabelAcceptsAndAnotherKeyCorrects() throws {
        let same = try #require(recordedDecision(LabelingReducer.reduce(started(), .key(.character("1"), now: 101)).1))
        #expect(same.kind == .accept)
        let other = try #require(recordedDecision(LabelingReducer.reduce(started(), .key(.character("2"), now: 101)).1))
        #expect(other.kind == .correct)
        #expect(other.label == "negative")
        #expect(other.shownLabel == "positive")
    }

    @Test func withoutAPrelabelAcceptExplainsAndALabelKeyCorrects() throws {
        var state = started()
        state = LabelingReducer.reduce(state, .decisionRecorded(Decision(id: 7, itemId: 1, annotator: "alice", kind: .accept, label: "positive"), now: 101)).0
        #expect(state.current == second)
        let (refused, none) = LabelingReducer.reduce(state, .key(.enter, now: 102))
        #expect(none.isEmpty)
        #expect(refused.message == .noPrelabel)
        let decision = try #require(recordedDecision(LabelingReducer.reduce(state, .key(.character("3"), now: 102)).1))
        #expect(decision.kind == .correct)
        #expect(decision.label == "neutral")
        #expect(decision.shownLabel == nil && decision.shownConfidence == nil && decision.shownSource == nil && decision.predictionId == nil)
    }

    @Test func aCommittedDecisionAdvancesCountsAndNotifies() {
        let decision = Decision(id: 7, itemId: 1, annotator: "alice", kind: .accept, label: "positive", shownLabel: "positive")
        let (state, effects) = LabelingReducer.reduce(started(), .decisionRecorded(decision, now: 103))
        #expect(state.current == second)
        #expect(state.upcoming == [third])
        #expect(state.counters.done == 1)
        #expect(state.counters.labelledSinceRefresh == 1)
        #expect(state.history.map(\.decision.id) == [7])
        #expect(state.message == .saved(itemId: 1, kind: .accept, label: "positive", prelabel: "positive"))
        // The queue said it had no more (3 of 5), so no claim; the learner hears of the decision.
        #expect(effects == [.announceUpcoming([2, 3]), .notifyDecision(decision)])
    }

    @Test func countsAreReadAgainAtMostEveryThirtySeconds() {
        let state = started()
        let early = LabelingReducer.reduce(state, .tick(now: 129)).1
        #expect(!early.contains(.refreshCounts))
        let (due, effects) = LabelingReducer.reduce(state, .tick(now: 130))
        #expect(effects.contains(.refreshCounts))
        let decided = LabelingReducer.reduce(due, .decisionRecorded(Decision(id: 7, itemId: 1, annotator: "alice", kind: .skip), now: 140)).1
        #expect(!decided.contains(.refreshCounts))
        let later = LabelingReducer.reduce(due, .decisionRecorded(Decision(id: 7, itemId: 1, annotator: "alice", kind: .skip), now: 160)).1
        #expect(later.contains(.refreshCounts))
    }

    @Test func aLowLookaheadIsRefilledAfterDrawing() {
        var state = started()
        state.queueExhausted = false
        let (_, effects) = LabelingReducer.reduce(state, .decisionRecorded(Decision(id: 7, itemId: 1, annotator: "alice", kind: .skip), now: 103))
        #expect(effects.contains(.claimItems(limit: 3, excluding: [2, 3], replacing: false, urgent: false)))
    }

    @Test func skipAndFlagWithANoteRecordNoLabel() throws {
        let skip = try #require(recordedDecision(LabelingReducer.reduce(started(), .key(.character("s"), now: 101)).1))
        #expect(skip.kind == .skip && skip.label == nil && skip.shownLabel == "positive")

        var state = LabelingReducer.reduce(started(), .key(.character("f"), now: 101)).0
        #expect(state.overlay == .flagNote(""))
        for character in "too vague?" { state = LabelingReducer.reduce(state, .key(.character(character), now: 101)).0 }
        state = LabelingReducer.reduce(state, .key(.backspace, now: 101)).0
        #expect(state.overlay == .flagNote("too vague"))
        let (closed, effects) = LabelingReducer.reduce(state, .key(.enter, now: 104))
        let flag = try #require(recordedDecision(effects))
        #expect(flag.kind == .flag && flag.note == "too vague" && flag.label == nil)
        #expect(closed.overlay == nil)
    }

    @Test func escapeCancelsAFlagAndAnEmptyNoteIsNil() throws {
        var state = LabelingReducer.reduce(started(), .key(.character("f"), now: 101)).0
        let (cancelled, none) = LabelingReducer.reduce(state, .key(.escape, now: 101))
        #expect(cancelled.overlay == nil && none.isEmpty)
        state = LabelingReducer.reduce(state, .key(.character(" "), now: 101)).0
        let flag = try #require(recordedDecision(LabelingReducer.reduce(state, .key(.enter, now: 101)).1))
        #expect(flag.note == nil)
    }

    @Test func undoAsksTheStoreAndPutsTheItemBack() {
        var state = started()
        let decision = Decision(id: 7, itemId: 1, annotator: "alice", kind: .accept, label: "positive")
        state = LabelingReducer.reduce(state, .decisionRecorded(decision, now: 103)).0
        let (asked, effects) = LabelingReducer.reduce(state, .key(.character("u"), now: 104))
        #expect(effects == [.undoLastDecision])
        let (restored, after) = LabelingReducer.reduce(asked, .undone(decision, restored: first, now: 105))
        #expect(restored.current == first)
        #expect(restored.upcoming == [second, third])
        #expect(restored.counters.done == 0)
        #expect(restored.counters.labelledSinceRefresh == 0)
        #expect(restored.history.isEmpty)
        #expect(restored.currentShownAt == 105)
        #expect(restored.message == .undid(itemId: 1, kind: .accept, label: "positive"))
        #expect(after == [
            .notifyDecision(Decision(itemId: 1, annotator: "alice", kind: .undo, undoesDecisionId: 7, createdAt: Date(timeIntervalSince1970: 0))),
            .announceUpcoming([1, 2, 3]),
        ])
        let (nothing, _) = LabelingReducer.reduce(restored, .undone(nil, restored: nil, now: 106))
        #expect(nothing.message == .nothingToUndo)
    }

    @Test func aPredictionArrivingForTheItemOnScreenShowsAtOnce() {
        var state = started()
        state = LabelingReducer.reduce(state, .decisionRecorded(Decision(id: 7, itemId: 1, annotator: "alice", kind: .skip), now: 103)).0
        #expect(state.shownPrelabel == nil)
        let prediction = Fixtures.prediction(itemId: 2, label: "negative", confidence: 0.7, source: .both, id: 50)
        state = LabelingReducer.reduce(state, .predictionArrived(prediction)).0
        #expect(state.shownPrelabel == prediction)
        // An invalid answer does not hide a valid one.
        var invalid = Fixtures.prediction(itemId: 2, label: "negative", confidence: 0.7, id: 51)
        invalid.isValid = false
        state = LabelingReducer.reduce(state, .predictionArrived(invalid)).0
        #expect(state.shownPrelabel == prediction)
        let upcoming = Fixtures.prediction(itemId: 3, label: "neutral", confidence: 0.6, id: 52)
        state = LabelingReducer.reduce(state, .predictionArrived(upcoming)).0
        #expect(state.upcoming.first?.prediction == upcoming)
    }

    @Test func aReorderedQueueIsClaimedAgainKeepingTheItemOnScreen() {
        let (state, effects) = LabelingReducer.reduce(started(), .queueOrderChanged)
        #expect(effects == [.claimItems(limit: 4, excluding: [1], replacing: true, urgent: false)])
        // The re-rank's pick has its pre-label: the new order stands as ranked.
        let ready = QueuedItem(item: third.item, prediction: Fixtures.prediction(itemId: 3, label: "neutral", confidence: 0.6, id: 52))
        let (next, announced) = LabelingReducer.reduce(state, .itemsClaimed([ready, second], requested: 4, replacing: true, now: 110))
        #expect(next.current == first)
        #expect(next.upcoming.map(\.item.id) == [3, 2])
        #expect(announced == [.announceUpcoming([1, 3, 2])])
    }

    @Test func whenTheReorderedFrontHasNoPrelabelYetTheItemThatWasNextStaysNext() {
        var state = started()
        // The model lags: only the next item's pre-label is in.
        state = LabelingReducer.reduce(state, .predictionArrived(Fixtures.prediction(itemId: 2, label: "negative", confidence: 0.8, id: 53))).0
        state = LabelingReducer.reduce(state, .queueOrderChanged).0
        let fourth = QueuedItem(item: Fixtures.item(4, "Meh."), prediction: nil)
        let (next, announced) = LabelingReducer.reduce(state, .itemsClaimed([fourth, third, second], requested: 4, replacing: true, now: 110))
        #expect(next.upcoming.map(\.item.id) == [2, 4, 3])
        #expect(next.upcoming.first?.prediction?.label == "negative")
        #expect(announced == [.announceUpcoming([1, 2, 4, 3])])
        // The decision on screen saved, it is shown with its pre-label.
        let decision = Decision(id: 7, itemId: 1, annotator: "alice", kind: .accept, label: "positive", shownLabel: "positive")
        let after = LabelingReducer.reduce(next, .decisionRecorded(decision, now: 112)).0
        #expect(after.current?.item.id == 2)
        #expect(after.shownPrelabel?.label == "negative")
    }

    @Test func withNoModelAnsweringTheReorderedQueueStandsAsRanked() {
        // No model: nothing is ready or on its way, so the re-rank's pick comes next.
        let state = LabelingReducer.reduce(started(), .queueOrderChanged).0
        let next = LabelingReducer.reduce(state, .itemsClaimed([third, second], requested: 4, replacing: true, now: 110)).0
        #expect(next.upcoming.map(\.item.id) == [3, 2])
    }

    @Test func whileTheModelIsAnsweringTheNextItemStaysNextThoughItsPrelabelIsStillOnItsWay() {
        var state = LabelingReducer.reduce(started(), .llmStatusChanged(LLMStatus(state: .ready))).0
        state = LabelingReducer.reduce(state, .queueOrderChanged).0
        let next = LabelingReducer.reduce(state, .itemsClaimed([third, second], requested: 4, replacing: true, now: 110)).0
        #expect(next.upcoming.map(\.item.id) == [2, 3])
    }

    @Test func overlaysOpenAndCloseWithTheirKeys() {
        // 14 rows leave 12 for the 19 lines of guidelines, so they scroll.
        var state = LabelingReducer.reduce(started(), .resized(ScreenSize(rows: 14, columns: 80))).0
        state = LabelingReducer.reduce(state, .key(.character("?"), now: 101)).0
        #expect(state.overlay == .help(scroll: 0))
        // Keys that label do nothing under the help.
        let (same, none) = LabelingReducer.reduce(state, .key(.character("1"), now: 101))
        #expect(same.overlay == .help(scroll: 0) && none.isEmpty)
        state = LabelingReducer.reduce(state, .key(.escape, now: 101)).0
        #expect(state.overlay == nil)
        state = LabelingReducer.reduce(state, .key(.character("g"), now: 101)).0
        #expect(state.overlay == .guidelines(scroll: 0))
        state = LabelingReducer.reduce(state, .key(.character("j"), now: 101)).0
        #expect(state.overlay == .guidelines(scroll: 1))
        state = LabelingReducer.reduce(state, .key(.character("g"), now: 101)).0
        #expect(state.overlay == nil)
    }

    @Test func scrollingIsClampedToTheItem() {
        let long = QueuedItem(item: Fixtures.item(9, String(repeating: "word ", count: 600)), prediction: nil)
        var state = Fixtures.state(current: long)
        // 600 words, 15 to a 78-column line: 40 lines, of which 15 show above the indicator row.
        #expect(ItemView.maximumScroll(state) == 25)
        for _ in 0..<30 { state = LabelingReducer.reduce(state, .key(.down, now: 1)).0 }
        #expect(state.itemScroll == 25)
        // A page is the 15 rows less one kept for context.
        state = LabelingReducer.reduce(state, .key(.pageUp, now: 1)).0
        #expect(state.itemScroll == 11)
        state = LabelingReducer.reduce(state, .resized(ScreenSize(rows: 60, columns: 200))).0
        #expect(state.itemScroll == 0)
    }

    @Test func aTooSmallWindowIgnoresEverythingButQuit() {
        var state = started()
        state = LabelingReducer.reduce(state, .resized(ScreenSize(rows: 8, columns: 30))).0
        let (same, none) = LabelingReducer.reduce(state, .key(.enter, now: 101))
        #expect(none.isEmpty && same.current == first)
        let (quit, effects) = LabelingReducer.reduce(state, .key(.character("q"), now: 101))
        #expect(quit.isFinished && effects == [.quit(keepingLeaseOn: 1)])
    }

    @Test func anUnboundKeySaysSo() {
        let (state, effects) = LabelingReducer.reduce(started(), .key(.character("z"), now: 101))
        #expect(effects.isEmpty)
        #expect(state.message == .unboundKey(.character("z")))
    }

    @Test func throughputCountsTheLastTenMinutes() {
        var meter = ThroughputMeter()
        meter.start(at: 0)
        #expect(meter.itemsPerHour(at: 10) == nil)
        for second in stride(from: 10.0, through: 100, by: 10) { meter.record(at: second) }
        // 10 decisions in the first 120 s: 300 an hour.
        #expect(meter.itemsPerHour(at: 120) == 300)
        // Twenty minutes on, only the window's decisions count (none): 0 an hour.
        #expect(meter.itemsPerHour(at: 1300) == 0)
        // A quick start is measured over at least a minute.
        var quick = ThroughputMeter()
        quick.start(at: 0)
        quick.record(at: 1)
        quick.record(at: 2)
        #expect(quick.itemsPerHour(at: 3) == 120)
    }
}
