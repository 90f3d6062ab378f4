import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// The routing pass of a multi-label project: a set is right only when whole, its confidence is
/// its least settled label's, and the target-error threshold rests on whole sets.
@Suite struct MultiLabelRoutingPassTests {
    static let labels = LabelSet(names: ["a", "b", "c"])

    static func probabilities(_ values: [Double]) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: zip(labels.names, values))
    }

    @Test func aDecidedSetCountsAsRightOnlyWhenEveryLabelIsRight() {
        let outcomes = MultiLabelOutcomes(model: "m", labels: Self.labels, outcomes: [
            .init(itemId: 1, inProbabilities: [0.9, 0.1, 0.2], truth: [0]),
            .init(itemId: 2, inProbabilities: [0.9, 0.8, 0.3], truth: [0, 1, 2]),  // c wrongly out
            .init(itemId: 3, inProbabilities: [0.4, 0.7, 0.6], truth: [1, 2]),
        ])
        let evidence = MultiLabelRoutingPass.evidence(outcomes, calibration: .uncalibrated(labels: Self.labels))
        #expect(evidence.map(\.isCorrect) == [true, false, true])
        #expect(evidence.map(\.confidence) == [0.8, 0.7, 0.6])
        #expect(outcomes.setAccuracy == 2.0 / 3.0)
    }

    @Test func aTargetErrorAutoAcceptsWhereWholeSetsBoundTheErrorEvenUnderTheFloor() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        let count = 400
        _ = try store.importItems { sink in
            for index in 0..<count { try sink.add(ImportRecord(text: "item \(index)")) }
        }
        // 300 decided: settled sets ({a}) always right; sets unsure on b ({a, b} at 0.55) right
        // half the time. 75% of whole sets right, under the 0.9 floor.
        for itemId in Int64(1)...Int64(count) {
            let settled = itemId % 2 == 0
            let values = settled ? [0.97, 0.02, 0.03] : [0.97, 0.55, 0.03]
            try store.savePrediction(Prediction(
                itemId: itemId, model: "m",
                label: MultiLabelAnswer.predicted(inProbabilities: values, labels: Self.labels).encoded,
                probabilities: Self.probabilities(values)))
            guard itemId <= 300 else { continue }
            let truth = settled || itemId % 4 == 1 ? ["a"] : ["a", "b"]
            try store.recordDecision(Decision(itemId: itemId, annotator: "ann", kind: .correct,
                                              label: MultiLabelAnswer(truth, labels: Self.labels).encoded))
        }
        var config = ProjectConfig(name: "t", labels: Self.labels)
        config.task = .multi
        config.routing.minVerifiedOutcomes = 50
        let fixed = try RoutingPass(store: store, config: config).run(model: "m")
        #expect(fixed.autoAccepted == 0)
        guard case .belowAccuracyFloor(let measured, _) = fixed.hold else {
            Issue.record("expected the accuracy floor to hold, got \(String(describing: fixed.hold))")
            return
        }
        #expect(abs(measured - 0.75) < 0.02)
        let calibration = try #require(fixed.multiLabelCalibration)
        #expect(calibration.verifiedOutcomes == 300)
        // Stored, and what the store now applies to every set it saves.
        #expect(try MultiLabelCalibration.load(store: store, model: "m", labels: Self.labels) == calibration)

        // 0 wrong in 150 settled sets bounds the error at 2.5% (Wilson, 95%): a 3% target is met.
        config.routing.autoAcceptTargetError = 0.03
        let summary = try RoutingPass(store: store, config: config).run(model: "m")
        let threshold = try #require(summary.threshold?.threshold)
        #expect(summary.threshold?.wrongAtOrAbove == 0)
        #expect(summary.threshold?.outcomesAtOrAbove == 150)
        #expect(summary.autoAccepted == 50)
        let autos = try store.allDecisions().filter { $0.kind == .auto }
        #expect(autos.count == 50)
        #expect(autos.allSatisfy { $0.itemId % 2 == 0 && $0.itemId > 300 })
        #expect(autos.allSatisfy { $0.label == #"["a"]"# && ($0.shownConfidence ?? 0) >= threshold })
        // The sets unsure on b stay with people, each with its calibrated per-label probabilities stored.
        let open = try store.openItemIds(limit: 1_000)
        #expect(open.count == 50 && open.allSatisfy { $0 % 2 == 1 })
        let predictions = try store.latestPredictions(itemIds: open)
        for itemId in open {
            let prediction = try #require(predictions[itemId])
            let stored = try #require(prediction.calibratedProbabilities)
            #expect(stored.keys.sorted() == ["a", "b", "c"])
            #expect(prediction.calibratedConfidence! < threshold)
        }
    }
}
