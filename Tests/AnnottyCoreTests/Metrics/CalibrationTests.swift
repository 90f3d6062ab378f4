import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

@Suite("Calibration metrics and calibrators")
struct CalibrationTests {
    @Test("Bin edges follow numpy linspace, so 0.6 sits just below the seventh edge")
    func edges() {
        let edges = ReliabilityDiagram.edges(binCount: 10)
        #expect(edges.count == 11 && edges[0] == 0 && edges[10] == 1)
        #expect(edges[6] == 0.6000000000000001 && edges[3] == 0.30000000000000004 && edges[5] == 0.5)
    }

    @Test("Edge conventions place boundary values in the documented bins")
    func boundaryValues() throws {
        let confidences = [0.0, 0.5, 0.6, 1.0]
        let correct = [false, true, true, true]
        let upper = try ReliabilityDiagram(confidences: confidences, correct: correct, binCount: 10, convention: .upperInclusive)
        #expect(upper.bins.map(\.count) == [1, 0, 0, 0, 1, 1, 0, 0, 0, 1])
        let lower = try ReliabilityDiagram(confidences: confidences, correct: correct, binCount: 10, convention: .lowerInclusive)
        // 0.6 < 0.6000000000000001, so it joins 0.5 in [0.5, 0.6000000000000001).
        #expect(lower.bins.map(\.count) == [1, 0, 0, 0, 0, 2, 0, 0, 0, 1])
        #expect(lower.bins[5].meanConfidence == 0.55)
    }

    @Test("ECE and MCE on a hand-worked two-bin case")
    func handWorkedECE() throws {
        // Bin (0, 0.5]: conf 0.2, 0.4 with one correct → |0.5 − 0.3| = 0.2, weight 2/4.
        // Bin (0.5, 1]: conf 0.9, 0.9 both correct → |1 − 0.9| = 0.1, weight 2/4.
        let diagram = try ReliabilityDiagram(confidences: [0.2, 0.4, 0.9, 0.9], correct: [true, false, true, true], binCount: 2)
        #expect(abs(diagram.expectedCalibrationError - 0.15) < 1e-12)
        #expect(abs(diagram.maximumCalibrationError - 0.2) < 1e-12)
        #expect(throws: MetricsError.self) { try ReliabilityDiagram(confidences: [1.2], correct: [true]) }
    }

    @Test("Log loss and Brier score against hand-computed values")
    func scores() throws {
        let probabilities = [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]
        let labels = [0, 1]
        #expect(abs(try ProbabilityScores.logLoss(probabilities: probabilities, labels: labels) - (-(log(0.7) + log(0.1)) / 2)) < 1e-12)
        // Row 1: 0.09 + 0.04 + 0.01; row 2: 0.01 + 0.81 + 0.64.
        #expect(abs(try ProbabilityScores.brierScore(probabilities: probabilities, labels: labels) - 0.8) < 1e-12)
        #expect(abs(try ProbabilityScores.brierScore(confidences: [0.8, 0.3], outcomes: [true, false]) - 0.065) < 1e-12)
        #expect(abs(try ProbabilityScores.logLoss(confidences: [0.8, 0.3], outcomes: [true, false]) - (-(log(0.8) + log(0.7)) / 2)) < 1e-12)
        #expect(try ProbabilityScores.logLoss(confidences: [1.0], outcomes: [false]) < 40)
    }

    @Test("ECE on RTE: Dawid-Skene posteriors and majority-vote shares under both edge conventions",
          .enabled(if: SharedDatasets.available, "\(SharedDatasets.missingMessage)"))
    func rteCalibration() throws {
        let rte = try RTEDataset.load()
        let dawidSkene = try DawidSkene().fit(rte.labels).calibrationPairs(against: rte.gold)
        for bins in [10, 15] {
            let diagram = try ReliabilityDiagram(confidences: dawidSkene.confidences, correct: dawidSkene.correct,
                                                 binCount: bins, convention: .upperInclusive)
            #expect(abs(diagram.expectedCalibrationError - 0.0683) < 5e-5)
        }
        // Vote share of the majority label, ties to class 1; correct = that label equals gold.
        let vote = try MajorityVote(rte.labels, tieRule: .highestClass).calibrationPairs(against: rte.gold)
        let upper = try ReliabilityDiagram(confidences: vote.confidences, correct: vote.correct, binCount: 10, convention: .upperInclusive)
        let lower = try ReliabilityDiagram(confidences: vote.confidences, correct: vote.correct, binCount: 10, convention: .lowerInclusive)
        #expect(abs(upper.expectedCalibrationError - 0.1691) < 5e-5)
        #expect(abs(lower.expectedCalibrationError - 0.1254) < 5e-5)
    }

    /// Three classes, true logits z ~ N(0, 2²); labels drawn from softmax(z); the model reports
    /// softmax(2z), i.e. it is overconfident by a temperature of exactly 2.
    static func overconfidentSamples(count: Int, seed: UInt64) -> (probabilities: [[Double]], labels: [Int]) {
        var generator = SeededGenerator(seed: seed)
        func normal() -> Double {
            let u = max(generator.nextUnitDouble(), 1e-300), v = generator.nextUnitDouble()
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
        func softmax(_ z: [Double]) -> [Double] {
            let top = z.max() ?? 0
            let e = z.map { exp($0 - top) }
            let total = e.reduce(0, +)
            return e.map { $0 / total }
        }
        var probabilities: [[Double]] = []
        var labels: [Int] = []
        for _ in 0..<count {
            let z = (0..<3).map { _ in 2 * normal() }
            let truth = softmax(z)
            let draw = generator.nextUnitDouble()
            labels.append(draw < truth[0] ? 0 : draw < truth[0] + truth[1] ? 1 : 2)
            probabilities.append(softmax(z.map { 2 * $0 }))
        }
        return (probabilities, labels)
    }

    @Test("Temperature scaling recovers T = 2 on overconfident data, from probabilities or log-probabilities")
    func temperatureRecovery() throws {
        let data = Self.overconfidentSamples(count: 6000, seed: 11)
        let fromProbabilities = try TemperatureScaling.fit(data.probabilities, labels: data.labels)
        #expect(abs(fromProbabilities.temperature - 2) < 0.15)
        let logProbabilities = data.probabilities.map { $0.map { log($0) } }
        let fromLogs = try TemperatureScaling.fit(logProbabilities, labels: data.labels, kind: .logProbabilities)
        #expect(abs(fromLogs.temperature - fromProbabilities.temperature) < 1e-3)
        // Calibrating lowers the log loss and keeps the argmax.
        let calibrated = data.probabilities.map { fromProbabilities.calibrated($0) }
        #expect(try ProbabilityScores.logLoss(probabilities: calibrated, labels: data.labels)
                < ProbabilityScores.logLoss(probabilities: data.probabilities, labels: data.labels) - 0.05)
        for (raw, scaled) in zip(data.probabilities, calibrated) {
            #expect(raw.firstIndex(of: raw.max()!) == scaled.firstIndex(of: scaled.max()!))
        }
        // A lone confidence c maps to c^(1/T) / (c^(1/T) + (1 − c)^(1/T)).
        let t = TemperatureScaling(temperature: 2)
        #expect(abs(t.calibratedConfidence(0.9) - 0.9.squareRoot() / (0.9.squareRoot() + 0.1.squareRoot())) < 1e-12)
    }

    @Test("Pool-adjacent-violators on a hand-worked example, with interpolation and clipping")
    func isotonicHandWorked() throws {
        let fit = try IsotonicCalibration.fit([1, 2, 3, 4, 5, 6], [1, 3, 2, 4, 3, 5])
        // Violations (3,2) and (4,3) pool to 2.5 and 3.5.
        #expect(fit.thresholds == [1, 2, 3, 4, 5, 6])
        #expect(fit.values == [1, 2.5, 2.5, 3.5, 3.5, 5])
        #expect(fit.calibratedConfidence(1.5) == 1.75)
        #expect(fit.calibratedConfidence(0) == 1 && fit.calibratedConfidence(9) == 5)
        // Equal x are pooled before PAV; flat interior knots are dropped.
        let binary = try IsotonicCalibration.fit(confidences: [0.6, 0.6, 0.7, 0.8, 0.9, 0.95],
                                                 correct: [true, false, false, true, true, true])
        #expect(binary.thresholds == [0.6, 0.7, 0.8, 0.95])
        #expect(binary.values == [1.0 / 3.0, 1.0 / 3.0, 1, 1])
    }

    @Test("Calibrator JSON round-trips and has the documented shape")
    func calibratorCoding() throws {
        let calibrators: [Calibrator] = [
            .identity, .temperature(TemperatureScaling(temperature: 1.5)),
            .isotonic(IsotonicCalibration(thresholds: [0.5, 1], values: [0.25, 0.75])),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try calibrators.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        #expect(json == [#"{"kind":"identity"}"#, #"{"kind":"temperature","temperature":1.5}"#,
                         #"{"kind":"isotonic","thresholds":[0.5,1],"values":[0.25,0.75]}"#])
        for (calibrator, text) in zip(calibrators, json) {
            #expect(try JSONDecoder().decode(Calibrator.self, from: Data(text.utf8)) == calibrator)
        }
        #expect(Calibrator.isotonic(IsotonicCalibration(thresholds: [0.5, 1], values: [0.25, 0.75])).calibratedConfidence(0.75) == 0.5)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Calibrator.self, from: Data(#"{"kind":"platt"}"#.utf8)) }
    }

    @Test("Chooser keeps temperature for temperature-shaped miscalibration and is deterministic per seed")
    func chooserPrefersTemperature() throws {
        let data = Self.overconfidentSamples(count: 3000, seed: 5)
        let samples = zip(data.probabilities, data.labels).map { CalibrationSample(probabilities: $0, label: $1) }
        let choice = try CalibratorSelection.choose(samples, seed: 3)
        #expect(choice.trainingCount == 2100 && choice.heldOutCount == 900)
        #expect(choice.temperatureLogLoss < choice.uncalibratedLogLoss)
        #expect(choice.calibrator == .temperature(choice.temperature))
        #expect(try CalibratorSelection.choose(samples, seed: 3) == choice)
        #expect(try CalibratorSelection.choose(samples, seed: 4) != choice)
    }

    @Test("Chooser keeps isotonic for miscalibration no temperature can fix")
    func chooserPrefersIsotonic() throws {
        // Correctness probability is 0.9 whatever the stated confidence (0.5…1): a flat map.
        var generator = SeededGenerator(seed: 9)
        var confidences: [Double] = []
        var correct: [Bool] = []
        for _ in 0..<3000 {
            confidences.append(0.5 + 0.5 * generator.nextUnitDouble())
            correct.append(generator.nextUnitDouble() < 0.9)
        }
        let choice = try CalibratorSelection.choose(confidences: confidences, correct: correct, seed: 1)
        #expect(choice.isotonicLogLoss < choice.temperatureLogLoss)
        #expect(choice.calibrator == .isotonic(choice.isotonic))
        #expect(abs(choice.calibrator.calibratedConfidence(0.6) - 0.9) < 0.06)
    }
}
