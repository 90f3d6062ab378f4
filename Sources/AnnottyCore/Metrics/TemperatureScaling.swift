import Foundation

/// Temperature scaling (Guo et al. 2017): calibrated = softmax(z / T) where z are log-probabilities
/// (or logits: softmax ignores a per-row shift, so both give the same result). T > 1 softens an
/// overconfident model, T < 1 sharpens an underconfident one; the argmax never changes.
public struct TemperatureScaling: Sendable, Codable, Hashable {
    /// What the score vectors given to `fit` and `calibrated` hold.
    public enum ScoreKind: String, Sendable, Codable {
        /// Probabilities; zeros are floored at `probabilityFloor` before taking logs.
        case probabilities
        /// Log-probabilities or logits.
        case logProbabilities
    }

    public let temperature: Double

    /// Floor applied to probabilities before their log, so a zero stays finite.
    public static let probabilityFloor = 1e-12
    /// The temperatures `fit` searches between.
    public static let searchRange: ClosedRange<Double> = 0.01...100

    public init(temperature: Double) { self.temperature = temperature }

    /// Fits T by minimising the multiclass negative log likelihood Σ −log softmax(z_i / T)[y_i].
    /// The NLL is convex in 1/T, so the root of its derivative is found by bisection on log T;
    /// a fit that wants to leave `searchRange` stops at its end (e.g. perfectly separable data).
    /// - Throws: `MetricsError.lengthMismatch`, `.empty`, `.labelOutOfRange`.
    public static func fit(_ scores: [[Double]], labels: [Int], kind: ScoreKind = .probabilities) throws -> TemperatureScaling {
        guard scores.count == labels.count else { throw MetricsError.lengthMismatch(scores.count, labels.count) }
        guard !scores.isEmpty else { throw MetricsError.empty }
        let logits = scores.map { logScores($0, kind: kind) }
        for (row, label) in zip(logits, labels) where label < 0 || label >= row.count {
            throw MetricsError.labelOutOfRange(label)
        }
        // d/dβ NLL(β) with β = 1/T: Σ_i (E_softmax(βz_i)[z] − z_{i,y_i}); increasing in β.
        let maxima = logits.map { $0.max() ?? 0 }
        func slope(_ beta: Double) -> Double {
            var total = 0.0
            for index in logits.indices {
                let row = logits[index], top = maxima[index]
                var weightSum = 0.0, weightedScore = 0.0
                for z in row {
                    let weight = exp((z - top) * beta)
                    weightSum += weight
                    weightedScore += weight * (z - top)
                }
                total += weightedScore / weightSum - (row[labels[index]] - top)
            }
            return total
        }
        var low = log(1 / searchRange.upperBound)   // log β at the largest temperature
        var high = log(1 / searchRange.lowerBound)  // log β at the smallest temperature
        if slope(exp(low)) >= 0 { return TemperatureScaling(temperature: searchRange.upperBound) }
        if slope(exp(high)) <= 0 { return TemperatureScaling(temperature: searchRange.lowerBound) }
        // 64 halvings of a log-range under 10 wide reach far below any useful precision.
        for _ in 0..<64 {
            let middle = (low + high) / 2
            if slope(exp(middle)) < 0 { low = middle } else { high = middle }
        }
        return TemperatureScaling(temperature: 1 / exp((low + high) / 2))
    }

    /// Fits T from top-label confidences alone, treating each as the two-outcome vector
    /// [confidence, 1 − confidence] whose first entry is right when `correct` is true.
    public static func fit(confidences: [Double], correct: [Bool]) throws -> TemperatureScaling {
        guard confidences.count == correct.count else {
            throw MetricsError.lengthMismatch(confidences.count, correct.count)
        }
        return try fit(confidences.map { [$0, 1 - $0] }, labels: correct.map { $0 ? 0 : 1 })
    }

    /// The calibrated probability vector.
    public func calibrated(_ scores: [Double], kind: ScoreKind = .probabilities) -> [Double] {
        Self.softmax(Self.logScores(scores, kind: kind), scale: 1 / temperature)
    }

    /// The calibrated top-label probability of a probability vector.
    public func calibratedConfidence(probabilities: [Double]) -> Double {
        calibrated(probabilities).max() ?? 0
    }

    /// A lone confidence c is calibrated as the two-outcome vector [c, 1 − c]:
    /// c^(1/T) / (c^(1/T) + (1 − c)^(1/T)).
    public func calibratedConfidence(_ confidence: Double) -> Double {
        calibrated([confidence, 1 - confidence])[0]
    }

    static func logScores(_ scores: [Double], kind: ScoreKind) -> [Double] {
        switch kind {
        case .probabilities: return scores.map { log(max($0, probabilityFloor)) }
        case .logProbabilities: return scores
        }
    }

    static func softmax(_ logits: [Double], scale: Double) -> [Double] {
        guard let top = logits.max() else { return [] }
        let exponentials = logits.map { exp(($0 - top) * scale) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }
}
