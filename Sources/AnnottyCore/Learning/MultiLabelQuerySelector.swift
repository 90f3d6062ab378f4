/// Orders the unlabelled pool of a multi-label task: the single-label `QuerySelector`'s orders
/// (plain uncertainty, the hybrid's near-duplicate-free batch, diversity, random) driven by the
/// uncertainty over each item's whole set instead of over one label.
public struct MultiLabelQuerySelector: Sendable {
    public var measure: SetUncertaintyMeasure
    public var strategy: SelectionStrategy

    /// `strategy`'s own uncertainty measure is replaced by `measure`; disagreement (which needs the
    /// LLM's single-label distribution) runs as hybrid.
    public init(measure: SetUncertaintyMeasure = .maxEntropy, strategy: SelectionStrategy = .default) {
        self.measure = measure
        self.strategy = strategy
    }

    /// Max per-label entropy with the default (hybrid) batch. On GoEmotions (docs/active-learning.md)
    /// max entropy matched or beat random on the curve's micro F1, while mean entropy lost to random:
    /// it favours items vaguely unsure on every label over items torn on one.
    public static let `default` = MultiLabelQuerySelector()
    public static let random = MultiLabelQuerySelector(strategy: .random)

    /// - Parameters:
    ///   - inProbabilities: one row per pool item, one column per label: P(label in the set).
    ///   - vectors, labelledVectors, seed: as `QuerySelector.rank`.
    /// - Returns: pool indices, most useful first.
    public func rank(inProbabilities: ProbabilityMatrix, vectors: [SparseVector] = [],
                     labelledVectors: [SparseVector] = [], seed: UInt64 = 0) -> [Int] {
        var adapted = strategy
        switch strategy.method {
        case .leastConfidence, .margin, .entropy: adapted.method = .margin
        case .disagreement: adapted.method = .hybrid
        case .random, .diversity, .hybrid: break
        }
        adapted.uncertaintyMeasure = .margin
        return QuerySelector(strategy: adapted).rank(learnerProbabilities: marginRows(inProbabilities),
                                                     vectors: vectors, labelledVectors: labelledVectors, seed: seed)
    }

    /// The set uncertainty u of each item as a two-class row [1 − u/2, u/2], whose margin
    /// uncertainty (1 − margin) is exactly u, so `QuerySelector` ranks and batches by u unchanged.
    func marginRows(_ inProbabilities: ProbabilityMatrix) -> ProbabilityMatrix {
        var values: [Double] = []
        values.reserveCapacity(inProbabilities.rowCount * 2)
        for row in 0..<inProbabilities.rowCount {
            let u = measure.uncertainty(inProbabilities[row])
            values.append(1 - u / 2)
            values.append(u / 2)
        }
        return ProbabilityMatrix(rowCount: inProbabilities.rowCount, columnCount: 2, values: values)
    }
}
