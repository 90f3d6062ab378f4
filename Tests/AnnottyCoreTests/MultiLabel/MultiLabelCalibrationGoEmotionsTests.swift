import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// Per-label calibration on real multi-label data: the GoEmotions Ekman fixture, with the
/// class-balanced one-vs-rest learner standing in for a model (balancing makes it say "in" too
/// readily on rare labels, the bias calibration has to undo).
@Suite struct MultiLabelCalibrationGoEmotionsTests {
    static func outcomes(_ data: MultiLabelDataset, learner: OneVsRestLearner, labels: LabelSet, firstItemId: Int64)
        -> MultiLabelOutcomes {
        let probabilities = learner.inProbabilities(for: learner.vectorizer.vectors(for: data.texts))
        return MultiLabelOutcomes(model: "learner", labels: labels, outcomes: data.labelSets.indices.map { row in
            MultiLabelOutcomes.Outcome(itemId: firstItemId + Int64(row), inProbabilities: Array(probabilities[row]),
                                       truth: data.labelSets[row])
        })
    }

    static func meanLogLoss(_ outcomes: MultiLabelOutcomes, _ map: ([Double]) -> [Double]) -> Double {
        var total = 0.0
        var count = 0
        for outcome in outcomes.outcomes {
            for (label, p) in map(outcome.inProbabilities).enumerated() {
                let q = min(1 - 1e-12, max(1e-12, p))
                total -= outcome.truth.contains(label) ? log(q) : log(1 - q)
                count += 1
            }
        }
        return total / Double(count)
    }

    @Test func calibrationOnDecidedSetsImprovesHeldOutSetsAndSettlednessSortsThem() throws {
        let data = try MultiLabelDataset.loadGoEmotionsFolder(GoEmotionsTests.folder, split: "dev")
        let labels = LabelSet(names: data.labelNames)
        let training = data.subset(Array(0..<1000))
        var learner = OneVsRestLearner(labelCount: labels.count, vectorizer: TextVectorizer(fittingTexts: training.texts))
        learner.train(texts: training.texts, labelSets: training.labelSets)
        let decided = Self.outcomes(data.subset(Array(1000..<2500)), learner: learner, labels: labels, firstItemId: 1)
        let heldOut = Self.outcomes(data.subset(Array(2500..<4000)), learner: learner, labels: labels, firstItemId: 10_000)

        // Every GoEmotions item has a label: a project of it would set allow_empty_set = false.
        let calibration = MultiLabelCalibration.fit(decided, allowsEmptySet: false)
        let raw = Self.meanLogLoss(heldOut) { $0 }
        let calibrated = Self.meanLogLoss(heldOut) { calibration.calibratedInProbabilities($0) }
        #expect(calibrated < raw * 0.95, "raw \(raw), calibrated \(calibrated)")

        // Exact sets: the raw cut-off sets (often empty, never right here), the raw sets given
        // their top label where empty, and the calibrated sets shown.
        let rawSets = heldOut.setAccuracy ?? 0
        let rawNonEmpty = MultiLabelCalibration.uncalibrated(labels: labels).with(allowsEmptySet: false)
        let rawNonEmptySets = Self.accuracy(heldOut) { rawNonEmpty.calibratedSet($0) }
        let calibratedSets = Self.accuracy(heldOut) { calibration.calibratedSet($0) }
        #expect(calibratedSets > rawSets + 0.1, "raw \(rawSets), calibrated \(calibratedSets)")
        #expect(calibratedSets > rawNonEmptySets, "raw non-empty \(rawNonEmptySets), calibrated \(calibratedSets)")
        #expect(heldOut.outcomes.allSatisfy { !calibration.calibratedSet($0.inProbabilities).isEmpty })

        // What routing rests on: the sets most sure of every label are right more often than the rest.
        let scored = heldOut.outcomes.map { outcome in
            let probabilities = calibration.calibratedInProbabilities(outcome.inProbabilities)
            let set = calibration.shownSet(probabilities)
            return (confidence: MultiLabelCalibration.confidence(of: set, probabilities: probabilities), right: set == outcome.truth)
        }.sorted { $0.confidence > $1.confidence }
        let top = scored.prefix(scored.count / 4)
        let rest = scored.dropFirst(scored.count / 4)
        let topAccuracy = Double(top.filter(\.right).count) / Double(top.count)
        let restAccuracy = Double(rest.filter(\.right).count) / Double(rest.count)
        #expect(topAccuracy > restAccuracy + 0.1, "most sure quarter \(topAccuracy), rest \(restAccuracy)")
    }

    static func accuracy(_ outcomes: MultiLabelOutcomes, _ set: ([Double]) -> Set<Int>) -> Double {
        Double(outcomes.outcomes.filter { set($0.inProbabilities) == $0.truth }.count) / Double(outcomes.count)
    }
}

extension MultiLabelCalibration {
    func with(allowsEmptySet: Bool) -> MultiLabelCalibration {
        var copy = self
        copy.allowsEmptySet = allowsEmptySet
        return copy
    }
}
