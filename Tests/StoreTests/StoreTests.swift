import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

@Suite struct SQLiteStoreTests {
    func makeStore(_ dir: TemporaryDirectory, items: [String] = ["one", "two", "three", "four"],
                   policy: OverlapPolicy = OverlapPolicy()) throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"), overlapPolicy: policy)
        _ = try store.importItems { sink in
            for text in items { try sink.add(ImportRecord(text: text)) }
        }
        return store
    }

    @Test func aRecordedDecisionIsInTheFileWhenTheCallReturns() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        let saved = try store.recordDecision(Decision(itemId: 2, annotator: "ann", kind: .correct, label: "pos",
                                                      shownLabel: "neg", shownConfidence: 0.61, timeSpentMs: 1500))
        // A second connection, as another process would open, sees it at once.
        let other = try SQLiteStore(path: dir.path("annotty.sqlite"))
        let decisions = try other.decisions(itemId: 2)
        #expect(decisions.count == 1)
        #expect(decisions[0].id == saved.id && decisions[0].label == "pos" && decisions[0].shownLabel == "neg")
        #expect(decisions[0].shownConfidence == 0.61 && decisions[0].timeSpentMs == 1500)
        #expect(try other.openItemIds(limit: 10) == [1, 3, 4])
    }

    @Test func undoAppendsAndReopensInReverseOrder() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .correct, label: "a"))
        try store.recordDecision(Decision(itemId: 2, annotator: "ann", kind: .accept, label: "b"))
        try store.recordDecision(Decision(itemId: 3, annotator: "bob", kind: .accept, label: "b"))
        #expect(try store.undoLastDecision(annotator: "ann")?.itemId == 2)
        #expect(try store.undoLastDecision(annotator: "ann")?.itemId == 1)
        #expect(try store.undoLastDecision(annotator: "ann") == nil)
        let all = try store.allDecisions()
        #expect(all.map(\.kind) == [.correct, .accept, .accept, .undo, .undo])
        #expect(all[3].undoesDecisionId == all[1].id && all[4].undoesDecisionId == all[0].id)
        #expect(try store.openItemIds(limit: 10) == [1, 2, 4])
        #expect(try store.effectiveDecisions().map(\.itemId) == [3])
    }

    @Test func aDecisionCannotBeUndoneTwice() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        let decision = try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .correct, label: "a"))
        try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .undo, undoesDecisionId: decision.id))
        #expect(throws: StoreError.alreadyUndone(decisionId: decision.id)) {
            try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .undo, undoesDecisionId: decision.id))
        }
    }

    @Test func leasesKeepTwoAnnotatorsOffTheSameItem() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        let first = try store.claimNextItems(annotator: "ann", limit: 2, excluding: [], leaseSeconds: 60)
        let second = try store.claimNextItems(annotator: "bob", limit: 2, excluding: [], leaseSeconds: 60)
        #expect(first.map(\.item.id) == [1, 2])
        #expect(second.map(\.item.id) == [3, 4])
        // An expired lease frees the item.
        try store.releaseLeases(annotator: "ann")
        #expect(try store.claimNextItems(annotator: "carol", limit: 1, excluding: [], leaseSeconds: 60).map(\.item.id) == [1])
    }

    @Test func overlapShowsAnItemToTwoPeopleButNotTwiceToOne() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir, items: ["only"], policy: OverlapPolicy(overlap: 2, maxOverlap: 2))
        #expect(try store.claimNextItems(annotator: "ann", limit: 1, excluding: [], leaseSeconds: 60).count == 1)
        #expect(try store.claimNextItems(annotator: "bob", limit: 1, excluding: [], leaseSeconds: 60).count == 1)
        #expect(try store.claimNextItems(annotator: "carol", limit: 1, excluding: [], leaseSeconds: 60).isEmpty)
        try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .correct, label: "x"))
        #expect(try store.claimNextItems(annotator: "ann", limit: 1, excluding: [], leaseSeconds: 60).isEmpty)
    }

    @Test func replacingTheQueueOrderPutsRankedItemsFirst() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        try store.replaceQueueOrder([4, 2])
        #expect(try store.openItemIds(limit: 10) == [4, 2, 1, 3])
    }

    @Test func predictionsRoundTripAndServeTheCache() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        let saved = try store.savePrediction(Prediction(itemId: 1, model: "m", label: "pos",
                                                        probabilities: ["pos": 0.75, "neg": 0.25], promptHash: "h1",
                                                        latencyMs: 120, tokensIn: 300, tokensOut: 4))
        #expect(try store.cachedPrediction(model: "m", promptHash: "h1")?.id == saved.id)
        #expect(try store.cachedPrediction(model: "other", promptHash: "h1") == nil)
        let latest = try store.latestPredictions(itemIds: [1, 2])
        #expect(latest[1]?.probabilities == ["pos": 0.75, "neg": 0.25] && latest[1]?.tokensIn == 300)
        #expect(latest[2] == nil)
    }
}
