import Foundation

/// Proper scoring rules for probabilistic predictions.
public enum ProbabilityScores {
    /// Probabilities are clipped to [clip, 1 − clip] before the log so a confident miss costs a
    /// finite ~34.5 nats rather than infinity.
    public static let defaultClip = 1e-15

    /// Multiclass log loss: mean −log p[label] over rows.
    /// - Throws: `MetricsError.lengthMismatch`, `.empty`, `.labelOutOfRange`.
    public static func logLoss(probabilities: [[Double]], labels: [Int], clip: Double = defaultClip) throws -> Double {
        try checkPaired(probabilities.count, labels.count)
        var sum = 0.0
        for (row, label) in zip(probabilities, labels) {
            guard label >= 0, label < row.count else { throw MetricsError.labelOutOfRange(label) }
            sum -= log(min(max(row[label], clip), 1 - clip))
        }
        return sum / Double(labels.count)
    }

    /// Binary log loss: mean −(y log p + (1 − y) log(1 − p)), y = outcome.
    public static func logLoss(confidences: [Double], outcomes: [Bool], clip: Double = defaultClip) throws -> Double {
        try checkPaired(confidences.count, outcomes.count)
        var sum = 0.0
        for (confidence, outcome) in zip(confidences, outcomes) {
            let p = min(max(confidence, clip), 1 - clip)
            sum -= outcome ? log(p) : log(1 - p)
        }
        return sum / Double(outcomes.count)
    }

    /// Binary Brier score (scikit-learn `brier_score_loss`): mean (p − y)².
    public static func brierScore(confidences: [Double], outcomes: [Bool]) throws -> Double {
        try checkPaired(confidences.count, outcomes.count)
        let sum = zip(confidences, outcomes).reduce(0.0) { total, pair in
            let difference = pair.0 - (pair.1 ? 1 : 0)
            return total + difference * difference
        }
        return sum / Double(outcomes.count)
    }

    /// Multiclass Brier score (Brier 1950): mean over rows of Σ_k (p_k − [k = label])², in [0, 2].
    public static func brierScore(probabilities: [[Double]], labels: [Int]) throws -> Double {
        try checkPaired(probabilities.count, labels.count)
        var sum = 0.0
        for (row, label) in zip(probabilities, labels) {
            guard label >= 0, label < row.count else { throw MetricsError.labelOutOfRange(label) }
            for (k, p) in row.enumerated() {
                let difference = p - (k == label ? 1 : 0)
                sum += difference * difference
            }
        }
        return sum / Double(labels.count)
    }

    private static func checkPaired(_ first: Int, _ second: Int) throws {
        guard first == second else { throw MetricsError.lengthMismatch(first, second) }
        guard first > 0 else { throw MetricsError.empty }
    }
}
