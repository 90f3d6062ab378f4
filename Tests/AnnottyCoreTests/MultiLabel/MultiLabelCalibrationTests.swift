import AnnottyCore
import Foundation
import Testing

/// Per-label calibration of a multi-label model: one binary calibrator per label, fitted on
/// decided sets, identity while there are too few of them.
@Suite struct MultiLabelCalibrationTests {
    static let labels = LabelSet(names: ["joy", "sadness", "anger"])

    /// Items whose truth per label is drawn at `rates`, with a model whose raw probability of "in"
    /// is biased differently per label: joy said "in" far too readily, sadness overconfident,
    /// anger too shy of "in".
    static func biasedOutcomes(count: Int, seed: UInt64, firstItemId: Int64 = 1) -> MultiLabelOutcomes {
        var generator = SeededGenerator(seed: seed)
        func normal() -> Double {
            let u = max(generator.nextUnitDouble(), 1e-12)
            let v = generator.nextUnitDouble()
            return sqrt(-2 * log(u)) * cos(2 * Double.pi * v)
        }
        func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        let rates = [0.3, 0.4, 0.25]
        let outcomes = (0..<count).map { index in
            var truth = Set<Int>()
            var raw: [Double] = []
            for label in 0..<3 {
                let isIn = generator.nextUnitDouble() < rates[label]
                if isIn { truth.insert(label) }
                let signal = (isIn ? 1.0 : -1.0) + normal()
                switch label {
                case 0: raw.append(sigmoid(2 * signal + 2.5))
                case 1: raw.append(sigmoid(4 * signal))
                default: raw.append(sigmoid(signal - 2))
                }
            }
            return MultiLabelOutcomes.Outcome(itemId: firstItemId + Int64(index), inProbabilities: raw, truth: truth)
        }
        return MultiLabelOutcomes(model: "m", labels: labels, outcomes: outcomes)
    }

    static func logLoss(_ outcomes: MultiLabelOutcomes, _ probabilities: ([Double]) -> [Double]) -> Double {
        var total = 0.0
        for outcome in outcomes.outcomes {
            let p = probabilities(outcome.inProbabilities)
            for label in p.indices {
                let q = min(1 - 1e-12, max(1e-12, p[label]))
                total -= outcome.truth.contains(label) ? log(q) : log(1 - q)
            }
        }
        return total / Double(outcomes.count * 3)
    }

    static func setAccuracy(_ outcomes: MultiLabelOutcomes, _ set: ([Double]) -> Set<Int>) -> Double {
        Double(outcomes.outcomes.filter { set($0.inProbabilities) == $0.truth }.count) / Double(outcomes.count)
    }

    @Test func calibrationFittedOnBiasedProbabilitiesLowersHeldOutLogLossAndFixesSets() throws {
        let training = Self.biasedOutcomes(count: 400, seed: 7)
        let heldOut = Self.biasedOutcomes(count: 400, seed: 8, firstItemId: 1_000)
        let calibration = MultiLabelCalibration.fit(training)
        #expect(calibration.verifiedOutcomes == 400)
        #expect(calibration.perLabel.allSatisfy { $0.calibrator != .identity })

        let raw = Self.logLoss(heldOut) { $0 }
        let calibrated = Self.logLoss(heldOut) { calibration.calibratedInProbabilities($0) }
        #expect(calibrated < raw * 0.85, "raw \(raw), calibrated \(calibrated)")
        // Per label too: each label's own bias is corrected, not only the sum.
        for label in 0..<3 {
            let rawLabel = Self.logLoss(heldOut) { p in p.indices.map { $0 == label ? p[$0] : 0.5 } }
            let calibratedLabel = Self.logLoss(heldOut) { p in
                let c = calibration.calibratedInProbabilities(p)
                return c.indices.map { $0 == label ? c[$0] : 0.5 }
            }
            #expect(calibratedLabel < rawLabel, "label \(label): raw \(rawLabel), calibrated \(calibratedLabel)")
        }
        // Joy said "in" too readily: its calibrated sets are right more often than the raw ones.
        let rawSets = Self.setAccuracy(heldOut) { p in Set(p.indices.filter { p[$0] >= 0.5 }) }
        let calibratedSets = Self.setAccuracy(heldOut) { calibration.calibratedSet($0) }
        #expect(calibratedSets > rawSets + 0.05, "raw \(rawSets), calibrated \(calibratedSets)")
        #expect(abs(calibration.measuredAccuracy - Self.setAccuracy(training) { calibration.calibratedSet($0) }) < 1e-12)
    }

    @Test func withTooFewOutcomesEveryLabelKeepsItsRawProbability() {
        let few = Self.biasedOutcomes(count: ModelCalibration.minimumOutcomesToFit - 1, seed: 3)
        let calibration = MultiLabelCalibration.fit(few)
        #expect(calibration.perLabel.map(\.calibrator) == [.identity, .identity, .identity])
        for outcome in few.outcomes {
            #expect(calibration.calibratedInProbabilities(outcome.inProbabilities) == outcome.inProbabilities)
        }
        #expect(calibration.verifiedOutcomes == ModelCalibration.minimumOutcomesToFit - 1)
    }

    @Test func aLabelNeverInKeepsAUsableCalibrator() {
        var list: [MultiLabelOutcomes.Outcome] = []
        for index in 0..<30 {
            let joy = index % 2 == 0
            let first: Double = joy ? 0.8 : 0.2
            let truth: Set<Int> = joy ? [0] : []
            list.append(MultiLabelOutcomes.Outcome(itemId: Int64(index), inProbabilities: [first, 0.1, 0.3], truth: truth))
        }
        let outcomes = MultiLabelOutcomes(model: "m", labels: Self.labels, outcomes: list)
        let calibration = MultiLabelCalibration.fit(outcomes)
        let calibrated = calibration.calibratedInProbabilities([0.8, 0.1, 0.3])
        #expect(calibrated.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(calibrated[0] > 0.5)
        #expect(calibrated[1] < 0.5)
        #expect(calibration.measuredAccuracy == 1)
    }

    @Test func theStoredFormReadsBackAndIsNotMistakenForASingleLabelCalibration() throws {
        let calibration = MultiLabelCalibration.fit(Self.biasedOutcomes(count: 200, seed: 11))
        let stored = try calibration.stored(model: "m")
        #expect(stored.verifiedOutcomes == 200)
        let read = try #require(MultiLabelCalibration(stored: stored))
        #expect(read.labelNames == Self.labels.names)
        #expect(read.perLabel.map(\.calibrator) == calibration.perLabel.map(\.calibrator))
        #expect(read.calibratedInProbabilities([0.7, 0.4, 0.2]) == calibration.calibratedInProbabilities([0.7, 0.4, 0.2]))
        // The single-label reader does not take a set calibration for its own, nor the reverse.
        #expect(ModelCalibration(stored: stored) == .uncalibrated)
        let single = try ModelCalibration(calibrator: .temperature(TemperatureScaling(temperature: 2)), verifiedOutcomes: 40,
                                          measuredAccuracy: 0.8).stored(model: "m")
        #expect(MultiLabelCalibration(stored: single) == nil)
    }

    @Test func aPredictionIsShownAsItsCalibratedSetWithItsLeastSettledLabelsConfidence() throws {
        // Joy's calibrator moves 0.7 below one half (a model that says "in" too readily).
        var joy = ModelCalibration(calibrator: .vectorScaling(VectorScaling(scales: [1, 1], biases: [0, -2])),
                                   verifiedOutcomes: 100, measuredAccuracy: 0.9)
        joy.labelNames = ["out", "in"]
        let calibration = MultiLabelCalibration(labelNames: Self.labels.names, perLabel: [joy, .uncalibrated, .uncalibrated],
                                                verifiedOutcomes: 100, measuredAccuracy: 0.9)
        let prediction = Prediction(itemId: 1, model: "m", label: #"["joy","sadness"]"#,
                                    probabilities: ["joy": 0.7, "sadness": 0.9, "anger": 0.05])
        let calibrated = calibration.calibrated(prediction)
        // 0.7·e⁻² / (0.7·e⁻² + 0.3), by hand.
        let joyIn = 0.7 * exp(-2) / (0.7 * exp(-2) + 0.3)
        let probabilities = try #require(calibrated.calibratedProbabilities)
        #expect(abs(probabilities["joy"]! - joyIn) < 1e-9)
        #expect(probabilities["sadness"] == 0.9)
        #expect(probabilities["anger"] == 0.05)
        #expect(calibrated.calibratedLabel == #"["sadness"]"#)
        #expect(calibrated.shownSet(over: Self.labels)?.names == ["sadness"])
        #expect(abs(calibrated.calibratedConfidence! - (1 - joyIn)) < 1e-9)
        #expect(calibrated.label == #"["joy","sadness"]"#)
        // Where empty sets are not answers, a set with nothing at one half shows its most
        // probable label, as sure as that label's own probability.
        var noEmpty = calibration
        noEmpty.allowsEmptySet = false
        let unsure = noEmpty.calibrated(Prediction(itemId: 3, model: "m", label: #"["joy"]"#,
                                                   probabilities: ["joy": 0.7, "sadness": 0.1, "anger": 0.05]))
        #expect(unsure.calibratedLabel == #"["joy"]"#)
        #expect(abs(unsure.calibratedConfidence! - joyIn) < 1e-9)
        #expect(calibration.calibrated(unsure).calibratedLabel == "[]")
        let storedNoEmpty = try #require(MultiLabelCalibration(stored: try noEmpty.stored(model: "m")))
        #expect(!storedNoEmpty.allowsEmptySet)
        #expect(try #require(MultiLabelCalibration(stored: try calibration.stored(model: "m"))).allowsEmptySet)
        // An invalid answer carries nothing to show.
        let invalid = calibration.calibrated(Prediction(itemId: 2, model: "m", label: nil, probabilities: [:], isValid: false))
        #expect(invalid.calibratedConfidence == nil && invalid.calibratedProbabilities == nil)
    }
}
