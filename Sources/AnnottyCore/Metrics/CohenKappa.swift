/// Disagreement weights for Cohen's kappa, as scikit-learn's `weights` argument.
public enum KappaWeighting: String, Sendable, Codable, CaseIterable {
    /// Every disagreement weighs 1.
    case unweighted
    /// |i − j| between the classes' positions in the sorted label list.
    case linear
    /// (i − j)² between the classes' positions in the sorted label list.
    case quadratic
}

/// Cohen's kappa between two raters, with scikit-learn `cohen_kappa_score` semantics.
public enum CohenKappa {
    /// κ = 1 − Σ w·O / Σ w·E, where O is the confusion matrix of `first` against `second`, E the
    /// outer product of its marginals over N, and w the weights. Weights use class *positions* in
    /// `labels` (default: the union of both sequences sorted ascending), not the label values.
    ///
    /// - Returns: κ, or `.nan` where it is undefined (both raters always give the same single class).
    /// - Throws: `MetricsError.lengthMismatch` or `.empty`.
    public static func score<Label: Hashable & Comparable>(
        _ first: [Label], _ second: [Label],
        weighting: KappaWeighting = .unweighted,
        labels: [Label]? = nil
    ) throws -> Double {
        let matrix = try ConfusionMatrix(first, second, labels: labels)
        return score(confusion: matrix.counts, weighting: weighting)
    }

    /// κ from a square confusion matrix `counts[i][j]` (rater one said class i, rater two class j).
    public static func score(confusion counts: [[Int]], weighting: KappaWeighting = .unweighted) -> Double {
        let classCount = counts.count
        let rowTotals = counts.map { Double($0.reduce(0, +)) }
        var columnTotals = Array(repeating: 0.0, count: classCount)
        for row in counts { for (j, value) in row.enumerated() { columnTotals[j] += Double(value) } }
        let total = rowTotals.reduce(0, +)
        guard total > 0 else { return .nan }
        var observedDisagreement = 0.0
        var expectedDisagreement = 0.0
        for i in 0..<classCount {
            for j in 0..<classCount {
                let weight: Double
                switch weighting {
                case .unweighted: weight = i == j ? 0 : 1
                case .linear: weight = Double(abs(i - j))
                case .quadratic: weight = Double((i - j) * (i - j))
                }
                observedDisagreement += weight * Double(counts[i][j])
                expectedDisagreement += weight * rowTotals[i] * columnTotals[j] / total
            }
        }
        guard expectedDisagreement > 0 else { return .nan }
        return 1 - observedDisagreement / expectedDisagreement
    }
}
