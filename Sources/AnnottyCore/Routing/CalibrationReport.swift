import Foundation

/// ECE before and after calibration, with reliability diagrams, for `annotty stats --calibration`.
/// Bins are equal-width with (lo, hi] edges (a confidence of exactly 0.7 falls in (0.6, 0.7]).
/// The calibrated figures are cross-fitted: each fold is calibrated by a calibrator fitted on
/// the other folds, so the "after" number is not measured on the data it was fitted to.
public struct CalibrationReport: Sendable {
    public let model: String
    public let outcomes: Int
    public let accuracy: Double?
    public let rawECE10: Double?
    public let rawECE15: Double?
    public let calibratedECE10: Double?
    public let calibratedECE15: Double?
    public let raw: ReliabilityDiagram?
    public let calibrated: ReliabilityDiagram?
    public let chosen: ModelCalibration

    public static let folds = 5

    public init(outcomes verified: VerifiedOutcomes, seed: UInt64 = 0) throws {
        model = verified.model
        outcomes = verified.count
        accuracy = verified.accuracy
        chosen = try ModelCalibration.fit(verified, seed: seed)
        guard verified.count >= 2 else {
            (rawECE10, rawECE15, calibratedECE10, calibratedECE15, raw, calibrated) = (nil, nil, nil, nil, nil, nil)
            return
        }
        let confidences = verified.rawConfidences
        let correct = verified.correctness
        raw = try ReliabilityDiagram(confidences: confidences, correct: correct, binCount: 10, convention: .upperInclusive)
        rawECE10 = raw?.expectedCalibrationError
        rawECE15 = try ReliabilityDiagram(confidences: confidences, correct: correct, binCount: 15,
                                          convention: .upperInclusive).expectedCalibrationError
        let crossFitted = try Self.crossFitted(verified, seed: seed)
        if let crossFitted {
            calibrated = try ReliabilityDiagram(confidences: crossFitted.confidences, correct: crossFitted.correct,
                                                binCount: 10, convention: .upperInclusive)
            calibratedECE10 = calibrated?.expectedCalibrationError
            calibratedECE15 = try ReliabilityDiagram(confidences: crossFitted.confidences, correct: crossFitted.correct, binCount: 15,
                                                     convention: .upperInclusive).expectedCalibrationError
        } else {
            (calibrated, calibratedECE10, calibratedECE15) = (nil, nil, nil)
        }
    }

    public init(store: any AnnotationStore, labels: LabelSet, model: String? = nil) throws {
        let name: String
        if let model { name = model } else {
            // The model with the most predictions.
            let counts = Dictionary(grouping: try store.allLatestPredictions(model: nil).filter { $0.source != .imported },
                                    by: \.model).mapValues(\.count)
            name = counts.max { $0.value < $1.value }?.key ?? ""
        }
        try self.init(outcomes: VerifiedOutcomes(store: store, model: name, labels: labels))
    }

    /// Each outcome's calibrated confidence, and whether its calibrated label is right, from a
    /// calibrator that never saw it (vector scaling may change the label); nil when too few.
    static func crossFitted(_ verified: VerifiedOutcomes, seed: UInt64) throws -> (confidences: [Double], correct: [Bool])? {
        let count = verified.count
        guard count >= ModelCalibration.minimumOutcomesToFit + folds else { return nil }
        var generator = SeededGenerator(seed: seed)
        let order = generator.shuffled(Array(0..<count))
        var fold = Array(repeating: 0, count: count)
        for (position, index) in order.enumerated() { fold[index] = position % folds }
        var result = verified.rawConfidences
        var correct = verified.correctness
        for current in 0..<folds {
            let training = VerifiedOutcomes(model: verified.model,
                                            outcomes: verified.outcomes.indices.filter { fold[$0] != current }.map { verified.outcomes[$0] })
            let calibration = try ModelCalibration.fit(training, seed: seed)
            for index in 0..<count where fold[index] == current {
                let outcome = verified.outcomes[index]
                let prediction = calibration.calibratedPrediction(probabilities: outcome.probabilities)
                result[index] = prediction.confidence
                correct[index] = prediction.index == outcome.trueIndex
            }
        }
        return (result, correct)
    }

    public func render(width: Int = 72) -> String {
        func number(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "—" }
        var out = "Calibration of \(model.isEmpty ? "(no model)" : model) on \(outcomes) verified outcomes"
        if let accuracy { out += String(format: " (accuracy %.3f)", accuracy) }
        out += "\nECE, equal-width bins with (lo,hi] edges:   10 bins   15 bins\n"
        out += "  raw confidence                           \(number(rawECE10))    \(number(rawECE15))\n"
        out += "  calibrated (\(CalibrationReport.folds)-fold cross-fitted)        \(number(calibratedECE10))    \(number(calibratedECE15))\n"
        out += "calibrator in use: \(chosen.calibrator.kind)"
        if case .temperature(let scaling) = chosen.calibrator { out += String(format: " (T = %.3f)", scaling.temperature) }
        if !chosen.heldOutLogLoss.isEmpty {
            let order = CalibratorCrossValidation.Candidate.allCases.map(\.rawValue)
            out += "\nheld-out log loss (\(CalibratorCrossValidation.defaultFolds)-fold): " + order.compactMap { kind in
                chosen.heldOutLogLoss[kind].map { kind + String(format: " %.4f", $0) }
            }.joined(separator: ", ")
        }
        out += "\n"
        if let raw {
            out += "\nReliability, raw confidence\n" + raw.textLines(width: width).joined(separator: "\n") + "\n"
        }
        if let calibrated {
            out += "\nReliability, calibrated\n" + calibrated.textLines(width: width).joined(separator: "\n") + "\n"
        }
        return out
    }

    public func svg() -> String {
        (calibrated ?? raw)?.svg(title: "Reliability of \(model) (\(calibrated == nil ? "raw" : "calibrated"))")
            ?? "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"480\" height=\"60\"><text x=\"10\" y=\"30\">No verified outcomes yet</text></svg>\n"
    }
}
