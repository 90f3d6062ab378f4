/// Fleiss' kappa with statsmodels `fleiss_kappa(table, method='fleiss')` semantics.
public enum FleissKappa {
    /// - Parameter counts: `[item][class]` number of raters who put the item in the class; every row
    ///   must have the same total n ≥ 2.
    /// - Returns: (P̄ − P̄e) / (1 − P̄e), with P̄ the mean per-item agreement and P̄e = Σ p_c² over the
    ///   pooled class proportions; `.nan` when P̄e = 1.
    /// - Throws: `MetricsError.empty`, `.unequalRaterCounts`, or `.invalidArgument` when n < 2.
    public static func score(counts: [[Int]]) throws -> Double {
        guard let firstRow = counts.first, !firstRow.isEmpty else { throw MetricsError.empty }
        let raters = firstRow.reduce(0, +)
        guard raters >= 2 else { throw MetricsError.invalidArgument("Fleiss' kappa needs at least two raters per item") }
        var classTotals = Array(repeating: 0.0, count: firstRow.count)
        var agreementSum = 0.0
        for row in counts {
            guard row.count == firstRow.count, row.reduce(0, +) == raters else { throw MetricsError.unequalRaterCounts }
            var squares = 0
            for (c, n) in row.enumerated() {
                classTotals[c] += Double(n)
                squares += n * n
            }
            agreementSum += Double(squares - raters) / Double(raters * (raters - 1))
        }
        let grandTotal = Double(counts.count * raters)
        let meanAgreement = agreementSum / Double(counts.count)
        let chanceAgreement = classTotals.reduce(0) { $0 + ($1 / grandTotal) * ($1 / grandTotal) }
        guard chanceAgreement < 1 else { return .nan }
        return (meanAgreement - chanceAgreement) / (1 - chanceAgreement)
    }

    /// Fleiss' kappa over crowd labels; every labelled item must carry the same number of labels.
    /// Items with no labels are ignored.
    public static func score(_ labels: [CrowdLabel], classCount: Int? = nil) throws -> Double {
        guard !labels.isEmpty else { throw MetricsError.empty }
        let counts = try labels.voteCounts(
            itemCount: labels.impliedItemCount, classCount: classCount ?? labels.impliedClassCount)
        return try score(counts: counts.filter { $0.contains { $0 > 0 } })
    }
}
