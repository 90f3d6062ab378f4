@testable import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// A threshold found on evidence pooled with the learner's retrained out-of-fold opinions waits
/// for the next pass to find one too; evidence scored by the LLM alone is used at once.
@Suite struct ThresholdConfirmationTests {
    static func found(_ threshold: Double?) -> AutoAcceptThresholdSearch.Result {
        AutoAcceptThresholdSearch.Result(threshold: threshold, outcomesAtOrAbove: 80, auditsAtOrAbove: 0, wrongAtOrAbove: 0,
                                         errorUpperBound: 0.045, reason: "found")
    }

    @Test func pooledEvidenceWaitsForTheNextPassAndTakesTheHigherOfTheTwo() {
        let first = ThresholdConfirmation(previousFound: nil).confirmed(Self.found(0.87), pooled: true)
        #expect(first.threshold == nil)
        #expect(first.reason.hasPrefix("no auto-accept threshold yet: this pass found ≥0.87 (80 verified outcomes"), "\(first.reason)")
        #expect(first.reason.hasSuffix("waits for the next pass to confirm it: the evidence pools the learner's out-of-fold opinions, which move as it is retrained"))
        #expect(first.outcomesAtOrAbove == 80)

        let higherBefore = ThresholdConfirmation(previousFound: 0.93).confirmed(Self.found(0.87), pooled: true)
        #expect(higherBefore.threshold == 0.93)
        #expect(higherBefore.reason == "auto-accepting at ≥0.93, the threshold of the pass before, which this pass confirms; this pass alone: found")
        let lowerBefore = ThresholdConfirmation(previousFound: 0.8).confirmed(Self.found(0.87), pooled: true)
        #expect(lowerBefore == Self.found(0.87))
        // Nothing found now: nothing to confirm, whatever came before.
        #expect(ThresholdConfirmation(previousFound: 0.9).confirmed(Self.found(nil), pooled: true).threshold == nil)
    }

    @Test func evidenceScoredByTheLLMAloneIsUsedAtOnce() {
        #expect(ThresholdConfirmation(previousFound: nil).confirmed(Self.found(0.87), pooled: false) == Self.found(0.87))
        #expect(ThresholdConfirmation(previousFound: 0.95).confirmed(Self.found(0.87), pooled: false) == Self.found(0.87))
    }

    /// Through the routing pass: the LLM says 50/50 everywhere, the learner (the combiner's source)
    /// is sure and right on 200 decided items. The first pass finds a threshold and waits; the
    /// second, confirming it, auto-accepts the 100 open items the learner is sure of.
    @Test func aRoutingPassOnPooledEvidenceAutoAcceptsOnlyOnceTheNextPassConfirms() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        _ = try store.importItems { sink in
            for index in 0..<300 { try sink.add(ImportRecord(text: "item \(index)")) }
        }
        var sure: [Int64: [Double]] = [:]
        for itemId in Int64(1)...300 {
            try store.savePrediction(Prediction(itemId: itemId, model: "m", label: "a", probabilities: ["a": 0.5, "b": 0.5]))
            sure[itemId] = [0.99, 0.01]
            if itemId <= 200 { try store.recordDecision(Decision(itemId: itemId, annotator: "ann", kind: .accept, label: "a")) }
        }
        let open = Array(Int64(201)...300)
        try store.saveLearnerOpinions(sure.filter { $0.key > 200 }, trainedOn: 200)
        var calibration = ModelCalibration.uncalibrated
        calibration.labelNames = ["a", "b"]
        calibration.combiner = OpinionCombiner(source: .learner, llmWeight: 0, learnerWeight: 1, biases: [0, 0],
                                               heldOutLogLoss: [:], outcomesUsed: 200)
        let stored = try calibration.stored(model: "m")
        try store.saveCalibration(model: "m", calibratorJSON: stored.calibratorJSON, verifiedOutcomes: 200, measuredAccuracy: 0.5)
        var config = ProjectConfig(name: "t", labels: LabelSet(names: ["a", "b"]))
        config.routing.autoAcceptTargetError = 0.03
        let pass = RoutingPass(store: store, config: config)
        let outOfFold = sure.filter { $0.key <= 200 }

        let first = try pass.run(model: "m", refit: false, learnerOutOfFold: outOfFold,
                                 confirmation: ThresholdConfirmation(previousFound: nil))
        let found = try #require(first.thresholdFound)
        #expect(first.autoAccepted == 0)
        #expect(first.threshold?.threshold == nil)
        #expect(first.threshold?.reason.hasPrefix("no auto-accept threshold yet: this pass found ≥") == true)
        #expect(try store.openItemIds(limit: 1_000).count == open.count)

        let second = try pass.run(model: "m", refit: false, learnerOutOfFold: outOfFold,
                                  confirmation: ThresholdConfirmation(previousFound: found))
        #expect(second.threshold?.threshold == found)
        #expect(second.autoAccepted == open.count)
        #expect(try store.openItemIds(limit: 1_000).isEmpty)
    }
}
