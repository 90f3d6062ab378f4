/// Counts of paired labels from two sequences: `counts[i][j]` is how often `first` said `labels[i]`
/// while `second` said `labels[j]` (scikit-learn `confusion_matrix(first, second)` orientation:
/// rows are the first sequence, e.g. gold, columns the second, e.g. predictions).
public struct ConfusionMatrix<Label: Hashable & Comparable> {
    /// Class order of rows and columns.
    public let labels: [Label]
    public let counts: [[Int]]

    /// - Parameter labels: row/column order; defaults to the union of both sequences sorted ascending.
    ///   Pairs involving a label outside a given list are left out, as scikit-learn does.
    /// - Throws: `MetricsError.lengthMismatch` or `.empty`.
    public init(_ first: [Label], _ second: [Label], labels: [Label]? = nil) throws {
        guard first.count == second.count else { throw MetricsError.lengthMismatch(first.count, second.count) }
        guard !first.isEmpty else { throw MetricsError.empty }
        let order = labels ?? Array(Set(first).union(second)).sorted()
        var position: [Label: Int] = [:]
        for (index, label) in order.enumerated() { position[label] = index }
        var matrix = Array(repeating: Array(repeating: 0, count: order.count), count: order.count)
        for (a, b) in zip(first, second) {
            guard let i = position[a], let j = position[b] else { continue }
            matrix[i][j] += 1
        }
        self.labels = order
        self.counts = matrix
    }

    /// Number of counted pairs.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Pairs on which both sequences agree (the diagonal).
    public var agreements: Int { counts.indices.reduce(0) { $0 + counts[$1][$1] } }

    /// Fraction of pairs that agree; `.nan` when empty.
    public var percentAgreement: Double {
        let all = total
        return all == 0 ? .nan : Double(agreements) / Double(all)
    }

    /// How often `first` said `a` while `second` said `b`.
    public func count(_ a: Label, _ b: Label) -> Int {
        guard let i = labels.firstIndex(of: a), let j = labels.firstIndex(of: b) else { return 0 }
        return counts[i][j]
    }

    /// Per-label figures treating `first` as the reference and `second` as the prediction.
    public var perLabel: [LabelAgreement<Label>] {
        labels.indices.map { k in
            let truePositives = counts[k][k]
            let referenceTotal = counts[k].reduce(0, +)
            let predictedTotal = counts.reduce(0) { $0 + $1[k] }
            return LabelAgreement(
                label: labels[k], truePositives: truePositives,
                falsePositives: predictedTotal - truePositives,
                falseNegatives: referenceTotal - truePositives)
        }
    }
}

/// One label's row of a confusion matrix summary.
public struct LabelAgreement<Label: Hashable>: Equatable {
    public let label: Label
    public let truePositives: Int
    public let falsePositives: Int
    public let falseNegatives: Int

    /// TP / (TP + FP); `.nan` when the label was never predicted.
    public var precision: Double {
        let d = truePositives + falsePositives
        return d == 0 ? .nan : Double(truePositives) / Double(d)
    }

    /// TP / (TP + FN); `.nan` when the label never occurs in the reference.
    public var recall: Double {
        let d = truePositives + falseNegatives
        return d == 0 ? .nan : Double(truePositives) / Double(d)
    }

    /// Harmonic mean of precision and recall; 0 when both are 0, `.nan` when either is undefined.
    public var f1: Double {
        let p = precision, r = recall
        if p.isNaN || r.isNaN { return .nan }
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }
}

extension ConfusionMatrix: Sendable where Label: Sendable {}
extension LabelAgreement: Sendable where Label: Sendable {}
