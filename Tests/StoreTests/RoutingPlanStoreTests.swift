import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// The store's side of the loop: a prediction calibrated as it is saved, a routing pass written
/// in one transaction, golden questions mixed in a seeded order.
@Suite struct RoutingPlanStoreTests {
    static let fiveItems = (1...5).map { "item \($0)" }

    static let temperatureTwo = #"{"temperature":{"_0":{"temperature":2}}}"#

    @Test(arguments: StoreKind.available)
    func aPredictionIsStoredWithTheConfidenceOfTheStoredCalibration(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.fiveItems)
        // Before any calibration: the raw confidence.
        let raw = try store.savePrediction(Prediction(itemId: 1, model: "m", label: "a", probabilities: ["a": 0.9, "b": 0.1]))
        #expect(raw.calibratedConfidence == 0.9)
        let calibration = ModelCalibration(calibrator: .temperature(TemperatureScaling(temperature: 2)),
                                           verifiedOutcomes: 40, measuredAccuracy: 0.8)
        let stored = try calibration.stored(model: "m")
        try store.saveCalibration(model: "m", calibratorJSON: stored.calibratorJSON, verifiedOutcomes: 40, measuredAccuracy: 0.8)
        let saved = try store.savePrediction(Prediction(itemId: 2, model: "m", label: "a", probabilities: ["a": 0.9, "b": 0.1]))
        let expected = calibration.calibratedConfidence(0.9)
        #expect(expected < 0.9)
        #expect(saved.calibratedConfidence == expected)
        #expect(try store.latestPredictions(itemIds: [2])[2]?.calibratedConfidence == expected)
        // Another model's calibration is not used, and an invalid answer carries no confidence.
        let other = try store.savePrediction(Prediction(itemId: 3, model: "other", label: "a", probabilities: ["a": 0.9, "b": 0.1]))
        #expect(other.calibratedConfidence == 0.9)
        let invalid = try store.savePrediction(Prediction(itemId: 4, model: "m", label: nil, probabilities: [:], isValid: false))
        #expect(invalid.calibratedConfidence == nil)
    }

    @Test(arguments: StoreKind.available)
    func theLearnersOpinionIsKeptAsItWasWhenAPersonDecidedAndPooledAsAPredictionIsSaved(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.fiveItems)
        try store.saveLearnerOpinions([1: [0.2, 0.8], 2: [0.3, 0.7]], trainedOn: 10)
        try store.recordDecision(Decision(itemId: 1, annotator: "alice", kind: .correct, label: "b"))
        // A later cycle's opinions: the decided item keeps the one it was decided with.
        try store.saveLearnerOpinions([1: [0.9, 0.1], 2: [0.6, 0.4]], trainedOn: 20)
        #expect(try store.learnerOpinions(itemIds: [1, 2, 3]) == [1: [0.2, 0.8], 2: [0.6, 0.4]])

        // A calibration whose combiner trusts the learner: a prediction saved now shows the
        // learner's label, says so, and offers the LLM's as the other opinion.
        var calibration = ModelCalibration(calibrator: .identity, verifiedOutcomes: 40, measuredAccuracy: 0.5)
        calibration.labelNames = ["a", "b"]
        calibration.combiner = OpinionCombiner(source: .learner, llmWeight: 0, learnerWeight: 1, biases: [],
                                               heldOutLogLoss: [:], outcomesUsed: 40)
        let stored = try calibration.stored(model: "m")
        try store.saveCalibration(model: "m", calibratorJSON: stored.calibratorJSON, verifiedOutcomes: 40, measuredAccuracy: 0.5)
        #expect(try ModelCalibration.load(store: store, model: "m").combiner == calibration.combiner)
        try store.saveLearnerOpinions([3: [0.1, 0.9]], trainedOn: 20)
        let saved = try store.savePrediction(Prediction(itemId: 3, model: "m", label: "a", probabilities: ["a": 0.8, "b": 0.2]))
        #expect(saved.shownLabel == "b")
        #expect(abs((saved.calibratedConfidence ?? 0) - 0.9) < 1e-9)
        #expect(saved.shownSource == .learner)
        #expect(saved.alternative?.label == "a" && saved.alternative?.source == .llm)
        let reread = try #require(try store.latestPredictions(itemIds: [3])[3])
        #expect(reread.shownLabel == "b" && reread.shownSource == .learner && reread.alternative == saved.alternative)
        // Without a learner opinion the LLM's calibrated label stands, with no source marked.
        let alone = try store.savePrediction(Prediction(itemId: 4, model: "m", label: "a", probabilities: ["a": 0.8, "b": 0.2]))
        #expect(alone.shownLabel == "a" && alone.shownSource == nil && alone.alternative == nil)
    }

    @Test(arguments: StoreKind.available)
    func aCalibratorOverTheWholeVectorMayMoveTheShownLabel(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.fiveItems)
        // A model that over-says "a": vector scaling with a large bias for "b" corrects it.
        var calibration = ModelCalibration(calibrator: .vectorScaling(VectorScaling(scales: [1, 1], biases: [0, 2])),
                                           verifiedOutcomes: 80, measuredAccuracy: 0.7)
        calibration.labelNames = ["a", "b"]
        let stored = try calibration.stored(model: "m")
        try store.saveCalibration(model: "m", calibratorJSON: stored.calibratorJSON, verifiedOutcomes: 80, measuredAccuracy: 0.7)
        #expect(try ModelCalibration.load(store: store, model: "m").labelNames == ["a", "b"])
        let moved = try store.savePrediction(Prediction(itemId: 1, model: "m", label: "a", probabilities: ["a": 0.6, "b": 0.4]))
        #expect(moved.label == "a")
        #expect(moved.calibratedLabel == "b")
        #expect(moved.shownLabel == "b")
        let expected = calibration.calibratedPrediction(probabilities: [0.6, 0.4])
        #expect(expected.index == 1)
        #expect(moved.calibratedConfidence == expected.confidence)
        let reread = try #require(try store.latestPredictions(itemIds: [1])[1])
        #expect(reread.shownLabel == "b" && reread.calibratedConfidence == expected.confidence)
        // A clear "a" stays "a".
        let kept = try store.savePrediction(Prediction(itemId: 2, model: "m", label: "a", probabilities: ["a": 0.99, "b": 0.01]))
        #expect(kept.calibratedLabel == nil && kept.shownLabel == "a")
    }

    @Test(arguments: StoreKind.available)
    func aRoutingPlanIsOneWriteAndLeavesItemsAPersonDecidedMeanwhile(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.fiveItems)
        let prediction = try store.savePrediction(Prediction(itemId: 1, model: "m", label: "a", probabilities: ["a": 0.99]))
        let plan = RoutingPlan(
            calibrations: [StoredCalibration(model: "m", calibratorJSON: #"{"identity":{}}"#, verifiedOutcomes: 60, measuredAccuracy: 0.95)],
            autoAccepts: [1, 2].map { Decision(itemId: $0, annotator: RoutingPass.routerName, kind: .auto, label: "a") },
            calibrated: [prediction.id: CalibratedValue(confidence: 0.97)],
            queueOrder: [5, 4, 3])
        // A person labels item 2 after the plan was made and before it is applied.
        try store.recordDecision(Decision(itemId: 2, annotator: "ann", kind: .correct, label: "b"))
        #expect(try store.applyRoutingPlan(plan) == 1)
        #expect(try store.decisions(itemId: 2).map(\.kind) == [.correct])
        #expect(try store.decisions(itemId: 1).map(\.kind) == [.auto])
        #expect(try store.openItemIds(limit: 10) == [5, 4, 3])
        #expect(try store.latestPredictions(itemIds: [1])[1]?.calibratedConfidence == 0.97)
        #expect(try store.calibration(model: "m")?.verifiedOutcomes == 60)
    }

    @Test(arguments: StoreKind.available)
    func aFailedRoutingPlanWritesNothing(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.fiveItems)
        let before = try store.contents()
        // The second undo of the same decision fails inside the transaction: nothing before it
        // (the calibration, the first auto-accept) may stay.
        let plan = RoutingPlan(
            calibrations: [StoredCalibration(model: "m", calibratorJSON: "{}", verifiedOutcomes: 1, measuredAccuracy: 1)],
            autoAccepts: [Decision(itemId: 1, annotator: RoutingPass.routerName, kind: .auto, label: "a"),
                          Decision(itemId: 2, annotator: "x", kind: .undo, undoesDecisionId: 12345),
                          Decision(itemId: 2, annotator: "x", kind: .undo, undoesDecisionId: 12345)],
            queueOrder: [3, 2, 1])
        #expect(throws: (any Error).self) { try store.applyRoutingPlan(plan) }
        #expect(try store.contents() == before)
    }

    @Test(arguments: StoreKind.available)
    func goldenQuestionsAreMixedInTheSameOrderForTheSameSeed(kind: StoreKind) throws {
        // Each run in a database of its own, as three projects would be.
        func claimed(seed: UInt64) throws -> [Int64] {
            let database = try TestDatabase(kind)
            let store = try database.open(policy: OverlapPolicy(goldenRate: 0.3), goldenSeed: seed)
            _ = try store.importItems { sink in
                for index in 1...30 { try sink.add(ImportRecord(text: "item \(index)")) }
                for index in 1...10 { try sink.add(ImportRecord(text: "golden \(index)", goldLabel: "a")) }
            }
            return try store.claimNextItems(annotator: "ann", limit: 20, excluding: [], leaseSeconds: 60).map(\.item.id)
        }
        let first = try claimed(seed: 7)
        #expect(first.contains { $0 > 30 })
        #expect(try claimed(seed: 7) == first)
        #expect(try claimed(seed: 8) != first)
    }
}
