import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// `annotty store copy`: a whole project moved into the other kind of store and back reads the
/// same (ids kept), and a copy never writes into a store that already holds work.
@Suite struct StoreCopyTests {
    /// What an export says of one item, comparable as a whole (`ExportRow` is not Equatable).
    struct ExportedItem: Equatable {
        var item: Item
        var finalLabel: String?
        var finalKind: DecisionKind?
        var decisions: [Decision]
        var latestPrediction: Prediction?
        var aggregates: [String: AggregatedLabel]
    }

    static func exported(_ store: any StoreTransfer) throws -> [ExportedItem] {
        var rows: [ExportedItem] = []
        try store.forEachExportRow { row in
            rows.append(ExportedItem(item: row.item, finalLabel: row.finalLabel, finalKind: row.finalKind,
                                     decisions: row.decisions, latestPrediction: row.latestPrediction,
                                     aggregates: row.aggregates))
        }
        return rows
    }

    /// A small project with something in every table a copy moves.
    static func fill(_ store: any StoreTransfer) throws {
        _ = try store.importItems { sink in
            try sink.add(ImportRecord(externalId: "r1", text: "Great blender.", metadataJSON: #"{"shop":"north"}"#))
            try sink.add(ImportRecord(externalId: "r2", text: "Awful kettle.",
                                      fields: [ItemField(name: "title", value: "Kettle, two stars")]))
            try sink.add(ImportRecord(externalId: "r3", text: "Fine toaster."))
            try sink.add(ImportRecord(externalId: "r4", text: "Loud but fast."))
            try sink.add(ImportRecord(externalId: "g1", text: "A golden question.", goldLabel: "positive"))
        }
        // A calibration first, so later predictions carry calibrated confidences.
        let calibration = try ModelCalibration(calibrator: .temperature(TemperatureScaling(temperature: 2)),
                                               verifiedOutcomes: 40, measuredAccuracy: 0.8).stored(model: "m")
        try store.saveCalibration(model: "m", calibratorJSON: calibration.calibratorJSON, verifiedOutcomes: 40,
                                  measuredAccuracy: 0.8)
        // Two predictions for item 1: the export shows only the later one.
        try store.savePrediction(Prediction(itemId: 1, model: "m", label: "negative",
                                            probabilities: ["positive": 0.4, "negative": 0.6], promptHash: "h1"))
        let latest = try store.savePrediction(Prediction(itemId: 1, model: "m", label: "positive",
                                                         probabilities: ["positive": 0.9, "negative": 0.1], promptHash: "h2",
                                                         latencyMs: 80, tokensIn: 120, tokensOut: 3, costUSD: 0.002))
        try store.savePrediction(Prediction(itemId: 2, model: "m", label: "negative",
                                            probabilities: ["positive": 0.05, "negative": 0.95], promptHash: "h3"))
        try store.savePrediction(Prediction(itemId: 3, model: "m", label: nil, probabilities: [:], isValid: false,
                                            error: "no label in the answer", rawAnswer: "hmm", promptHash: "h4"))
        try store.saveLearnerOpinions([1: [0.3, 0.7], 3: [0.6, 0.4], 4: [0.5, 0.5]], trainedOn: 12)
        try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .accept, label: "positive",
                                          shownLabel: "positive", shownConfidence: latest.calibratedConfidence,
                                          predictionId: latest.id, timeSpentMs: 900))
        try store.recordDecision(Decision(itemId: 2, annotator: RoutingPass.routerName, kind: .auto, label: "negative"))
        try store.recordDecision(Decision(itemId: 4, annotator: "bob", kind: .flag, note: "sarcasm?"))
        try store.recordDecision(Decision(itemId: 3, annotator: "bob", kind: .correct, label: "positive", timeSpentMs: 2100))
        // Bob's label on item 3 is undone: the undo row is copied, and item 3 is open again.
        #expect(try store.undoLastDecision(annotator: "bob")?.itemId == 3)
        try store.recordDecision(Decision(itemId: 4, annotator: "ann", kind: .correct, label: "negative"))
        try store.replaceAggregates(method: "dawid-skene", [
            AggregatedLabel(itemId: 1, label: "positive", posteriors: ["positive": 0.97, "negative": 0.03]),
            AggregatedLabel(itemId: 4, label: "negative", posteriors: ["positive": 0.2, "negative": 0.8]),
        ])
        try store.replaceQueueOrder([3, 5])
        // A lease held when the copy is made.
        _ = try store.claimNextItems(annotator: "carol", limit: 1, excluding: [], leaseSeconds: 600)
    }

    /// Everything the copy must keep, read through the store protocol.
    static func expectSameProject(_ copy: any StoreTransfer, as original: any StoreTransfer,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try exported(copy) == exported(original), sourceLocation: sourceLocation)
        #expect(try copy.allDecisions() == original.allDecisions(), sourceLocation: sourceLocation)
        #expect(try copy.statusCounts() == original.statusCounts(), sourceLocation: sourceLocation)
        #expect(try copy.openItemIds(limit: 10) == original.openItemIds(limit: 10), sourceLocation: sourceLocation)
        #expect(try copy.learnerOpinions(itemIds: [1, 2, 3, 4, 5]) == original.learnerOpinions(itemIds: [1, 2, 3, 4, 5]),
                sourceLocation: sourceLocation)
        let copied = try #require(try copy.calibration(model: "m"), sourceLocation: sourceLocation)
        let kept = try #require(try original.calibration(model: "m"), sourceLocation: sourceLocation)
        #expect(copied.calibratorJSON == kept.calibratorJSON && copied.verifiedOutcomes == kept.verifiedOutcomes
                && copied.measuredAccuracy == kept.measuredAccuracy, sourceLocation: sourceLocation)
        let copiedUsage = try copy.predictionUsage(), keptUsage = try original.predictionUsage()
        #expect(copiedUsage == keptUsage, sourceLocation: sourceLocation)
        #expect(try copy.goldLabels() == original.goldLabels(), sourceLocation: sourceLocation)
    }

    @Test(arguments: StoreKind.available)
    func aProjectCopiedIntoTheOtherKindAndBackReadsTheSame(kind: StoreKind) throws {
        let originalDatabase = try TestDatabase(kind)
        let original = try originalDatabase.open()
        try Self.fill(original)
        // The other kind where both run; SQLite into SQLite still tests the copy where only it does.
        let otherDatabase = try TestDatabase(kind.other)
        let other = try otherDatabase.open()
        let summary = try StoreCopy(from: original, to: other).run(destinationName: "other")
        #expect(summary.rows.map(\.table) == StoreTables.copied)
        #expect(summary.rows.first { $0.table == "decisions" }?.count == 6)
        #expect(summary.rows.first { $0.table == "predictions" }?.count == 4)
        #expect(try Self.exported(original).count == 5)
        try Self.expectSameProject(other, as: original)

        let backDatabase = try TestDatabase(kind)
        let back = try backDatabase.open()
        _ = try StoreCopy(from: other, to: back).run(destinationName: "back")
        try Self.expectSameProject(back, as: original)

        // Work goes on in the copy: new rows take ids after the copied ones, and carol still
        // holds the item she had on screen.
        let lastDecision = try #require(try original.allDecisions().last)
        let next = try other.recordDecision(Decision(itemId: 5, annotator: "dan", kind: .correct, label: "positive"))
        #expect(next.id > lastDecision.id)
        let nextPrediction = try other.savePrediction(Prediction(itemId: 4, model: "m", label: "negative",
                                                                 probabilities: ["negative": 1]))
        #expect(nextPrediction.id > 4)
        // Item 3 is the only open item, and carol's copied lease keeps it from erin.
        #expect(try other.claimNextItems(annotator: "erin", limit: 1, excluding: [], leaseSeconds: 600).isEmpty)
        #expect(try other.claimNextItems(annotator: "carol", limit: 1, excluding: [], leaseSeconds: 600).map(\.item.id) == [3])
    }

    @Test(arguments: StoreKind.available)
    func aCopyIntoAStoreThatHoldsWorkIsRefusedAndWritesNothing(kind: StoreKind) throws {
        let originalDatabase = try TestDatabase(kind)
        let original = try originalDatabase.open()
        try Self.fill(original)
        let busyDatabase = try TestDatabase(kind.other)
        let busy = try busyDatabase.open(items: ["someone else's item"])
        let before = try busy.contents()
        #expect(throws: StoreCopy.Failure.destinationNotEmpty("busy")) {
            try StoreCopy(from: original, to: busy).run(destinationName: "busy")
        }
        #expect(try busy.contents() == before)
        #expect(try busy.statusCounts().items == 1)
    }
}

extension StoreKind {
    /// The kind a copy from this one goes to: the other, where both run.
    var other: StoreKind {
        let other: StoreKind = self == .sqlite ? .postgres : .sqlite
        return StoreKind.available.contains(other) ? other : self
    }
}
