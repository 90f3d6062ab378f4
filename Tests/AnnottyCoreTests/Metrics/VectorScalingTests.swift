import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

@Suite("Vector scaling and the cross-validated calibrator choice")
struct VectorScalingTests {
    /// A model that knows the answer but adds a constant preference for label 0: its log-probabilities
    /// are the truth's plus log 6 on label 0, so label 0 wins every item.
    static func biasedSamples(count: Int, seed: UInt64) -> (probabilities: [[Double]], labels: [Int]) {
        var generator = SeededGenerator(seed: seed)
        var probabilities: [[Double]] = []
        var labels: [Int] = []
        for _ in 0..<count {
            let truth = generator.nextIndex(below: 3)
            var logits = (0..<3).map { $0 == truth ? 1.5 : 0.3 * generator.nextUnitDouble() }
            logits[0] += log(6)
            let exps = logits.map(exp)
            let total = exps.reduce(0, +)
            probabilities.append(exps.map { $0 / total })
            labels.append(truth)
        }
        return (probabilities, labels)
    }

    static func accuracy(_ predicted: [Int], _ labels: [Int]) -> Double {
        Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }

    @Test("Vector scaling removes a constant label bias and changes the argmax where it should")
    func removesLabelBias() throws {
        let training = Self.biasedSamples(count: 600, seed: 1)
        let test = Self.biasedSamples(count: 600, seed: 2)
        let scaling = try VectorScaling.fit(training.probabilities, labels: training.labels)
        let rawAccuracy = Self.accuracy(test.probabilities.map { Self.argmax($0) }, test.labels)
        let calibrator = Calibrator.vectorScaling(scaling)
        let calibratedAccuracy = Self.accuracy(test.probabilities.map { calibrator.calibratedPrediction(probabilities: $0).index },
                                               test.labels)
        #expect(rawAccuracy < 0.5, "the bias makes label 0 win: \(rawAccuracy)")
        #expect(calibratedAccuracy > 0.9, "calibrated \(calibratedAccuracy)")
        // The bias on label 0 is learnt as a negative offset against the others.
        #expect(scaling.biases[0] < scaling.biases[1] - 0.5 && scaling.biases[0] < scaling.biases[2] - 0.5)
        let vector = calibrator.calibrated(probabilities: test.probabilities[0])
        #expect(abs(vector.reduce(0, +) - 1) < 1e-12)
        // A vector of another length (the label set changed) passes through unchanged.
        #expect(scaling.calibrated([0.5, 0.5]) == [0.5, 0.5])
    }

    @Test("The chooser keeps the raw probabilities when they are already right")
    func identityWinsOnCalibratedOutcomes() throws {
        // 40 outcomes of [0.75, 0.25], three in four right: nothing fitted on a part can do better
        // on the rest than the raw 0.75.
        let probabilities = Array(repeating: [0.75, 0.25], count: 40)
        let labels = (0..<40).map { $0 % 4 == 3 ? 1 : 0 }
        let choice = try CalibratorCrossValidation.choose(probabilities: probabilities, labels: labels, seed: 7)
        #expect(choice.chosen == .identity, "\(choice.heldOutLogLoss)")
        #expect(choice.heldOutLogLoss.count == 4 && choice.folds == 5)
        let outcomes = VerifiedOutcomes(model: "m", outcomes: labels.enumerated().map { index, label in
            VerifiedOutcomes.Outcome(itemId: Int64(index), probabilities: [0.75, 0.25], predictedIndex: 0, trueIndex: label)
        })
        #expect(try ModelCalibration.fit(outcomes).calibrator == .identity)
    }

    @Test("The chooser picks vector scaling for a biased model, and the routed label follows it")
    func vectorScalingChosenForBias() throws {
        let data = Self.biasedSamples(count: 300, seed: 3)
        let outcomes = VerifiedOutcomes(model: "m", outcomes: data.probabilities.indices.map { index in
            VerifiedOutcomes.Outcome(itemId: Int64(index), probabilities: data.probabilities[index],
                                     predictedIndex: Self.argmax(data.probabilities[index]), trueIndex: data.labels[index])
        })
        let calibration = try ModelCalibration.fit(outcomes)
        #expect(calibration.calibrator.kind == "vector")
        #expect(calibration.heldOutLogLoss["vector"]! < calibration.heldOutLogLoss["identity"]!)
        #expect((calibration.heldOutAccuracy ?? 0) > (outcomes.accuracy ?? 1) + 0.3)
        // The router measures the labels it would accept: the calibrated ones.
        #expect(calibration.measuredAccuracy == calibration.heldOutAccuracy)
        // An item the raw model gives to label 0 by a small margin over the true label 1.
        let prediction = calibration.calibratedPrediction(probabilities: [0.5, 0.4, 0.1])
        #expect(prediction.index == 1 && prediction.confidence > 0.5 && prediction.confidence < 1)
    }

    @Test("Isotonic on few outcomes never says 0 or 1 (issue 12: 0.38 shown as 0.00 after 32 outcomes)")
    func isotonicKeptAwayFromCertainty() throws {
        // Every outcome under 0.5 wrong, every one above right: plain PAV gives exactly 0 and 1.
        let confidences = (0..<32).map { 0.3 + 0.4 * Double($0) / 31 }
        let correct = confidences.map { $0 > 0.5 }
        let plain = try IsotonicCalibration.fit(confidences: confidences, correct: correct)
        #expect(plain.calibratedConfidence(0.38) == 0 && plain.calibratedConfidence(0.69) == 1)
        let bounded = try IsotonicCalibration.fitBoundedAwayFromCertainty(confidences: confidences, correct: correct)
        let wrongBlock = Double(correct.filter { !$0 }.count)
        #expect(abs(bounded.calibratedConfidence(0.38) - 1 / (wrongBlock + 2)) < 1e-12)
        #expect(abs(bounded.calibratedConfidence(0.69) - (Double(32 - Int(wrongBlock)) + 1) / (Double(32 - Int(wrongBlock)) + 2)) < 1e-12)
        // Whatever the chooser keeps, the calibrated confidence stays strictly inside (0, 1).
        let outcomes = VerifiedOutcomes(model: "m", outcomes: confidences.indices.map { index in
            VerifiedOutcomes.Outcome(itemId: Int64(index), probabilities: [confidences[index], 1 - confidences[index]],
                                     predictedIndex: confidences[index] >= 0.5 ? 0 : 1, trueIndex: correct[index] ? 0 : 1)
        })
        let calibration = try ModelCalibration.fit(outcomes)
        for confidence in stride(from: 0.5, through: 1.0, by: 0.05) {
            let value = calibration.calibratedPrediction(probabilities: [confidence, 1 - confidence]).confidence
            #expect(value > 0 && value < 1)
        }
    }

    @Test("Clipping that breaks the order is pooled again, so the map stays non-decreasing")
    func boundedIsotonicStaysMonotone() throws {
        // Two wrong at 0.1 (block of 2 → clipped to 0.25), then 100 at 0.2 with 10 right (0.1).
        let confidences = [0.1, 0.1] + Array(repeating: 0.2, count: 100) + [0.9, 0.9]
        let correct = [false, false] + (0..<100).map { $0 < 10 } + [true, true]
        let bounded = try IsotonicCalibration.fitBoundedAwayFromCertainty(confidences: confidences, correct: correct)
        #expect(bounded.values == bounded.values.sorted())
        #expect(bounded.calibratedConfidence(0.1) > 0 && bounded.calibratedConfidence(0.9) < 1)
        #expect(abs(bounded.calibratedConfidence(0.1) - (2 * 0.25 + 100 * 0.1) / 102) < 1e-12)
    }

    @Test("Vector scaling JSON round-trips, and the stored forms of the older calibrators still decode")
    func coding() throws {
        let calibrator = Calibrator.vectorScaling(VectorScaling(scales: [1.5, 0.5], biases: [-1, 1]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(calibrator), as: UTF8.self)
        #expect(text == #"{"biases":[-1,1],"kind":"vector","scales":[1.5,0.5]}"#)
        #expect(try JSONDecoder().decode(Calibrator.self, from: Data(text.utf8)) == calibrator)
        #expect(try JSONDecoder().decode(Calibrator.self, from: Data(#"{"kind":"temperature","temperature":2}"#.utf8))
                == .temperature(TemperatureScaling(temperature: 2)))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Calibrator.self, from: Data(#"{"kind":"vector","scales":[1],"biases":[]}"#.utf8))
        }
    }

    @Test("Top-label calibrators keep the label and share the rest in raw proportion")
    func topLabelVectorForm() {
        let calibrator = Calibrator.isotonic(IsotonicCalibration(thresholds: [0, 1], values: [0, 0.8]))
        // 0.6 → 0.48; the other 0.52 shared 1:1.
        let vector = calibrator.calibrated(probabilities: [0.2, 0.6, 0.2])
        #expect(abs(vector[1] - 0.48) < 1e-12 && abs(vector[0] - 0.26) < 1e-12 && abs(vector[2] - 0.26) < 1e-12)
        let prediction = calibrator.calibratedPrediction(probabilities: [0.2, 0.6, 0.2])
        #expect(prediction.index == 1 && abs(prediction.confidence - 0.48) < 1e-12)
        // 0.5 → 0.25 would leave the runner-up (0.3 of 0.5, so 0.45) above the top: the top is
        // raised just above the tie, 0.3 / (0.5 + 0.3) = 0.375, and the label stays.
        let halving = Calibrator.isotonic(IsotonicCalibration(thresholds: [0, 1], values: [0, 0.5]))
        let lifted = halving.calibrated(probabilities: [0.2, 0.5, 0.3])
        #expect(abs(lifted[1] - 0.375) < 1e-8 && abs(lifted[2] - 0.375) < 1e-8 && abs(lifted[0] - 0.25) < 1e-8)
        #expect(lifted[1] > lifted[2] && abs(lifted.reduce(0, +) - 1) < 1e-12)
        #expect(halving.calibratedPrediction(probabilities: [0.2, 0.5, 0.3]).index == 1)
        #expect(abs(halving.calibratedPrediction(probabilities: [0.2, 0.5, 0.3]).confidence - 0.375) < 1e-8)
    }

    @Test("On the weak tier's recorded predictions vector scaling beats raw and majority accuracy, cross-fitted",
          arguments: ["smollm2-reviews.jsonl", "smollm2-trec.jsonl"])
    func weakTierBiasCorrected(file: String) throws {
        let fixture = try PredictionFixture(path: LocalModelCalibrationTests.fixtures.appendingPathComponent(file).path)
        let vectors = fixture.cases.map(\.probabilities), gold = fixture.cases.map(\.gold)
        let choice = try CalibratorCrossValidation.choose(probabilities: vectors, labels: gold)
        let raw = Self.accuracy(vectors.map { Self.argmax($0) }, gold)
        let majority = Double(Dictionary(grouping: gold, by: { $0 }).values.map(\.count).max()!) / Double(gold.count)
        #expect(choice.chosen == .vectorScaling)
        #expect(choice.heldOutAccuracy[.vectorScaling]! > raw + 0.05)
        #expect(choice.heldOutAccuracy[.vectorScaling]! > majority + 0.03)
    }

    static func argmax(_ values: [Double]) -> Int {
        values.indices.max { values[$0] != values[$1] ? values[$0] < values[$1] : $0 > $1 } ?? 0
    }
}
