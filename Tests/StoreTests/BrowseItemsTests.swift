import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// The store's read API behind `annotty browse`: one test per filter, on one small project.
///
/// Items: 1 labelled positive by ann; 2 auto-accepted negative; 3 open, predicted 0.55;
/// 4 ann and bob disagree; 5 settled by a review; 6 flagged by bob with a note;
/// 7 open, text with "100%_off"; 8 labelled negative by ann, then undone (open again).
@Suite struct BrowseItemsTests {
    /// The project above, in `database` (which the test keeps: a released one is deleted).
    static func makeStore(_ database: TestDatabase) throws -> any StoreTransfer {
        let store = try database.open()
        let texts = ["Great blender.", "Awful kettle.", "Fine toaster, I guess.", "Loud but fast.", "Mixed feelings.",
                     "Odd item.", "Sale: 100%_off today", "Changed my mind."]
        _ = try store.importItems { sink in
            for (index, text) in texts.enumerated() {
                try sink.add(ImportRecord(externalId: "r\(index + 1)", text: text,
                                          fields: index == 5 ? [ItemField(name: "hypothesis", value: "a blender in disguise")] : []))
            }
        }
        func record(_ item: Int64, _ who: String, _ kind: DecisionKind, _ label: String? = nil, note: String? = nil) throws {
            try store.recordDecision(Decision(itemId: item, annotator: who, kind: kind, label: label, note: note))
        }
        try record(1, "ann", .correct, "positive")
        try record(2, RoutingPass.routerName, .auto, "negative")
        try store.savePrediction(Prediction(itemId: 3, model: "m", label: "positive", probabilities: ["positive": 0.55, "negative": 0.45]))
        try store.savePrediction(Prediction(itemId: 1, model: "m", label: "positive", probabilities: ["positive": 0.95, "negative": 0.05]))
        let calibrated = try store.savePrediction(Prediction(itemId: 2, model: "m", label: "negative",
                                                             probabilities: ["positive": 0.2, "negative": 0.8]))
        // A routing pass recalibrated it (the store calibrates only from a stored calibration).
        try store.applyRoutingPlan(RoutingPlan(calibrated: [calibrated.id: CalibratedValue(confidence: 0.7)]))
        try record(4, "ann", .correct, "positive")
        try record(4, "bob", .imported, "negative")
        try record(5, "ann", .correct, "positive")
        try record(5, "bob", .correct, "negative")
        try record(5, "carol", .adjudicate, "negative")
        try record(6, "bob", .flag, note: "is this even a review?")
        let undone = try store.recordDecision(Decision(itemId: 8, annotator: "ann", kind: .correct, label: "negative"))
        try store.recordDecision(Decision(itemId: 8, annotator: "ann", kind: .undo, undoesDecisionId: undone.id))
        return store
    }

    func ids(_ store: any StoreTransfer, _ filter: BrowseFilter) throws -> [Int64] {
        let rows = try store.browseItems(filter, limit: 100, offset: 0)
        #expect(try store.countBrowseItems(filter) == rows.count)
        return rows.map(\.item.id)
    }

    @Test(arguments: StoreKind.available)
    func noFilterListsEveryItemInOrder(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try Self.makeStore(database)
        #expect(try ids(store, BrowseFilter()) == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test(arguments: StoreKind.available)
    func pagesAreWindowsOfTheSameOrder(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try Self.makeStore(database)
        #expect(try store.browseItems(BrowseFilter(), limit: 3, offset: 2).map(\.item.id) == [3, 4, 5])
    }

    @Test(arguments: StoreKind.available)
    func state(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try Self.makeStore(database)
        #expect(try ids(store, BrowseFilter(state: .open)) == [3, 6, 7, 8])
        #expect(try ids(store, BrowseFilter(state: .closed)) == [1, 2, 4, 5])
    }

    @Test(arguments: StoreKind.available)
    func finalLabel(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try Self.makeStore(database)
        #expect(try ids(store, BrowseFilter(label: "negative")) == [2, 5])
    }

    @Test(arguments: StoreKind.available)
    func decidedBy(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try Self.makeStore(database)
        #expect(try ids(store, BrowseFilter(decidedBy: .auto)) == [2])
        #expect(try ids(store, BrowseFilter(decidedBy: .review)) == [5])
        #expect(try ids(store, BrowseFilter(decidedBy: .person)) == [1, 4])
    }

    @Test(arguments: StoreKind.available)
    func annotatorCountsOnlyDecisionsInEffect(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try Self.makeStore(database)
        #expect(try ids(store, BrowseFilter(annotator: "ann")) == [1, 4, 5])
        #expect(try ids(store, BrowseFilter(annotator: "bob")) == [4, 5, 6])
    }

    @Test(arguments: StoreKind.available)
    func confidenceRangeUsesTheCalibratedValueWhenKnown(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try Self.makeStore(database)
        #expect(try ids(store, BrowseFilter(minimumConfidence: 0.5, maximumConfidence: 0.75)) == [2, 3])
        #expect(try ids(store, BrowseFilter(minimumConfidence: 0.9)) == [1])
        #expect(try ids(store, BrowseFilter(maximumConfidence: 0.6)) == [3])
    }

    @Test(arguments: StoreKind.available)
    func flaggedItemsCarryTheirNotes(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try Self.makeStore(database)
        let rows = try store.browseItems(BrowseFilter(flaggedOnly: true), limit: 10, offset: 0)
        #expect(rows.map(\.item.id) == [6])
        #expect(rows[0].flags == [BrowsedItem.Flag(annotator: "bob", note: "is this even a review?")])
    }

    @Test(arguments: StoreKind.available)
    func disagreementNeedsTwoPeopleWithDifferentLabels(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try Self.makeStore(database)
        #expect(try ids(store, BrowseFilter(disagreementOnly: true)) == [4, 5])
    }

    @Test(arguments: StoreKind.available)
    func searchLooksInTextFieldsAndIdsAndTakesWildcardsLiterally(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try Self.makeStore(database)
        #expect(try ids(store, BrowseFilter(search: "blender")) == [1, 6])
        #expect(try ids(store, BrowseFilter(search: "BLENDER")) == [1, 6])
        #expect(try ids(store, BrowseFilter(search: "100%_off")) == [7])
        #expect(try ids(store, BrowseFilter(search: "%")) == [7])
        #expect(try ids(store, BrowseFilter(search: "r3")) == [3])
    }

    @Test(arguments: StoreKind.available)
    func filtersCombine(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try Self.makeStore(database)
        #expect(try ids(store, BrowseFilter(state: .closed, label: "positive", annotator: "ann")) == [1, 4])
    }

    @Test(arguments: StoreKind.available)
    func aRowSaysWhereTheItemStandsAndWhoSaidWhat(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try Self.makeStore(database)
        let row = try #require(try store.browseItems(BrowseFilter(search: "Loud"), limit: 1, offset: 0).first)
        #expect(row.finalLabel == "positive" && row.finalKind == .correct && !row.isOpen)
        #expect(row.votes == [ItemVote(annotator: "ann", label: "positive"), ItemVote(annotator: "bob", label: "negative")])
        let auto = try #require(try store.browseItems(BrowseFilter(decidedBy: .auto), limit: 1, offset: 0).first)
        #expect(auto.prediction?.confidence == 0.7)
    }

    @Test(arguments: StoreKind.available)
    func oneItemReadsTheSameWhateverTheFilter(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try Self.makeStore(database)
        let one = try #require(try store.browsedItem(id: 6))
        #expect(one == (try store.browseItems(BrowseFilter(flaggedOnly: true), limit: 1, offset: 0)).first)
        #expect(try store.browsedItem(id: 999) == nil)
    }
}
