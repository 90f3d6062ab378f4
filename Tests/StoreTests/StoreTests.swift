import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// The store's core intents (decisions, undo, leases, overlap, queue order, predictions), each
/// run once on SQLite and once on PostgreSQL.
@Suite struct StoreTests {
    static let fourItems = ["one", "two", "three", "four"]

    @Test(arguments: StoreKind.available)
    func aRecordedDecisionIsStoredWhenTheCallReturns(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.fourItems)
        let saved = try store.recordDecision(Decision(itemId: 2, annotator: "ann", kind: .correct, label: "pos",
                                                      shownLabel: "neg", shownConfidence: 0.61, timeSpentMs: 1500))
        // A second store on the same database, as another process would open, sees it at once.
        let other = try database.open()
        let decisions = try other.decisions(itemId: 2)
        #expect(decisions.count == 1)
        #expect(decisions[0].id == saved.id && decisions[0].label == "pos" && decisions[0].shownLabel == "neg")
        #expect(decisions[0].shownConfidence == 0.61 && decisions[0].timeSpentMs == 1500)
        #expect(try other.openItemIds(limit: 10) == [1, 3, 4])
    }

    @Test(arguments: StoreKind.available)
    func undoAppendsAndReopensInReverseOrder(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.fourItems)
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

    @Test(arguments: StoreKind.available)
    func aDecisionCannotBeUndoneTwice(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.fourItems)
        let decision = try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .correct, label: "a"))
        try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .undo, undoesDecisionId: decision.id))
        #expect(throws: StoreError.alreadyUndone(decisionId: decision.id)) {
            try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .undo, undoesDecisionId: decision.id))
        }
    }

    @Test(arguments: StoreKind.available)
    func leasesKeepTwoAnnotatorsOffTheSameItem(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.fourItems)
        let first = try store.claimNextItems(annotator: "ann", limit: 2, excluding: [], leaseSeconds: 60)
        let second = try store.claimNextItems(annotator: "bob", limit: 2, excluding: [], leaseSeconds: 60)
        #expect(first.map(\.item.id) == [1, 2])
        #expect(second.map(\.item.id) == [3, 4])
        // A released lease frees the item.
        try store.releaseLeases(annotator: "ann")
        #expect(try store.claimNextItems(annotator: "carol", limit: 1, excluding: [], leaseSeconds: 60).map(\.item.id) == [1])
    }

    @Test(arguments: StoreKind.available)
    func overlapShowsAnItemToTwoPeopleButNotTwiceToOne(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: ["only"], policy: OverlapPolicy(overlap: 2, maxOverlap: 2))
        #expect(try store.claimNextItems(annotator: "ann", limit: 1, excluding: [], leaseSeconds: 60).count == 1)
        #expect(try store.claimNextItems(annotator: "bob", limit: 1, excluding: [], leaseSeconds: 60).count == 1)
        #expect(try store.claimNextItems(annotator: "carol", limit: 1, excluding: [], leaseSeconds: 60).isEmpty)
        try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .correct, label: "x"))
        #expect(try store.claimNextItems(annotator: "ann", limit: 1, excluding: [], leaseSeconds: 60).isEmpty)
    }

    @Test(arguments: StoreKind.available)
    func replacingTheQueueOrderPutsRankedItemsFirst(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.fourItems)
        try store.replaceQueueOrder([4, 2])
        #expect(try store.openItemIds(limit: 10) == [4, 2, 1, 3])
    }

    @Test(arguments: StoreKind.available)
    func predictionsRoundTripAndServeTheCache(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.fourItems)
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
