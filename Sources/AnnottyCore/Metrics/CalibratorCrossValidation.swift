import Foundation

/// Chooses a calibrator by cross-validated log loss, with the raw probabilities (identity) as the
/// default a fitted calibrator has to beat. Every outcome is scored once by a calibrator fitted on
/// the other folds, so even 30 outcomes give 30 held-out scores rather than the 9 of one split
/// (a single split let isotonic on 32 outcomes turn a confidence of 0.38 into 0.00).
///
/// The score is the multiclass log loss of the whole calibrated vector (`Calibrator.calibrated`),
/// a proper score that rewards both a better label and an honest confidence; it is what lets
/// vector scaling, which may change the label, compete with the top-label maps.
public struct CalibratorCrossValidation: Sendable, Equatable {
    public enum Candidate: String, Sendable, CaseIterable, Codable {
        case identity, temperature, isotonic, vectorScaling = "vector"
    }

    /// Mean held-out log loss of each candidate tried.
    public let heldOutLogLoss: [Candidate: Double]
    /// Held-out accuracy of each candidate's calibrated label.
    public let heldOutAccuracy: [Candidate: Double]
    /// The candidate with the lowest held-out log loss; identity unless another is strictly lower,
    /// and vector scaling only where its held-out label accuracy is above the raw label's.
    public let chosen: Candidate
    public let folds: Int
    public let count: Int

    public static let defaultFolds = 5

    /// - Parameters:
    ///   - probabilities: each outcome's raw probability vector, all of one length.
    ///   - labels: the true label index of each.
    ///   - folds: at most this many folds (fewer when there are fewer outcomes).
    ///   - seed: the fold assignment is a seeded shuffle, so the same data and seed choose the same.
    /// - Throws: `MetricsError` for fewer than two outcomes, mismatched lengths or bad labels.
    public static func choose(probabilities: [[Double]], labels: [Int], folds: Int = defaultFolds,
                              candidates: [Candidate] = Candidate.allCases, seed: UInt64 = 0) throws -> CalibratorCrossValidation {
        guard probabilities.count == labels.count else { throw MetricsError.lengthMismatch(probabilities.count, labels.count) }
        guard probabilities.count >= 2 else { throw MetricsError.invalidArgument("need at least two outcomes to cross-validate") }
        guard let classes = probabilities.first?.count, classes > 0,
              probabilities.allSatisfy({ $0.count == classes && $0.allSatisfy(\.isFinite) }) else {
            throw MetricsError.invalidArgument("every probability vector must be finite, non-empty and of one length")
        }
        for label in labels where label < 0 || label >= classes { throw MetricsError.labelOutOfRange(label) }
        let foldCount = min(max(folds, 2), probabilities.count)
        var generator = SeededGenerator(seed: seed)
        var foldOf = [Int](repeating: 0, count: probabilities.count)
        for (position, index) in generator.shuffled(Array(probabilities.indices)).enumerated() {
            foldOf[index] = position % foldCount
        }
        let tried = candidates.contains(.identity) ? candidates : [.identity] + candidates
        var losses: [Candidate: Double] = [:]
        var accuracies: [Candidate: Double] = [:]
        for candidate in tried {
            var loss = 0.0
            var right = 0
            for fold in 0..<foldCount {
                let training = probabilities.indices.filter { foldOf[$0] != fold }
                let calibrator = try fit(candidate, probabilities: training.map { probabilities[$0] },
                                         labels: training.map { labels[$0] })
                for index in probabilities.indices where foldOf[index] == fold {
                    let vector = calibrator.calibrated(probabilities: probabilities[index])
                    loss -= log(max(vector[labels[index]], ProbabilityScores.defaultClip))
                    if calibrator.calibratedPrediction(probabilities: probabilities[index]).index == labels[index] { right += 1 }
                }
            }
            losses[candidate] = loss / Double(probabilities.count)
            accuracies[candidate] = Double(right) / Double(probabilities.count)
        }
        // A calibrator that changes labels must earn it by better labels, not by log loss alone:
        // on the strong tier's reviews vector scaling won on log loss yet cost 2 points of accuracy.
        var chosen = Candidate.identity
        for candidate in tried where losses[candidate]! < losses[chosen]! {
            if candidate == .vectorScaling, accuracies[candidate]! <= accuracies[.identity]! { continue }
            chosen = candidate
        }
        return CalibratorCrossValidation(heldOutLogLoss: losses, heldOutAccuracy: accuracies, chosen: chosen,
                                         folds: foldCount, count: probabilities.count)
    }

    /// Fits one kind of calibrator on outcomes. Temperature is fitted on top-label confidence and
    /// correctness (a top-label map); isotonic is kept away from 0 and 1
    /// (`IsotonicCalibration.fitBoundedAwayFromCertainty`); vector scaling is fitted on the vectors.
    public static func fit(_ candidate: Candidate, probabilities: [[Double]], labels: [Int]) throws -> Calibrator {
        let tops = probabilities.map { CalibratedPrediction.argmax($0) ?? 0 }
        let confidences = zip(probabilities, tops).map { vector, top in vector[top] / max(vector.reduce(0, +), .leastNormalMagnitude) }
        let correct = zip(tops, labels).map { $0 == $1 }
        switch candidate {
        case .identity:
            return .identity
        case .temperature:
            return .temperature(try TemperatureScaling.fit(confidences: confidences, correct: correct))
        case .isotonic:
            return .isotonic(try IsotonicCalibration.fitBoundedAwayFromCertainty(confidences: confidences, correct: correct))
        case .vectorScaling:
            let normalised = probabilities.map { vector in
                let total = vector.reduce(0, +)
                return total > 0 ? vector.map { $0 / total } : vector
            }
            return .vectorScaling(try VectorScaling.fit(normalised, labels: labels))
        }
    }

    /// The chosen kind refitted on every outcome.
    public func refit(probabilities: [[Double]], labels: [Int]) throws -> Calibrator {
        try Self.fit(chosen, probabilities: probabilities, labels: labels)
    }
}
