/// The cut-off per label above which a predicted probability puts the label in the set.
public struct LabelThresholds: Sendable, Codable, Equatable {
    public var values: [Double]

    public init(values: [Double]) {
        self.values = values
    }

    /// The same cut-off for every label (0.5 unless told).
    public static func uniform(_ threshold: Double = 0.5, labelCount: Int) -> LabelThresholds {
        LabelThresholds(values: Array(repeating: threshold, count: labelCount))
    }

    /// Per label, the cut-off among the observed probabilities (midpoints between neighbours) that
    /// gives the highest F1 on the verified sets; a label with no verified "in" keeps `fallback`.
    /// Fit on outcomes the learner did not train on (verified pre-labels), or the cut-offs flatter it.
    public static func fitted(inProbabilities: ProbabilityMatrix, verifiedSets: [Set<Int>],
                              fallback: Double = 0.5) -> LabelThresholds {
        precondition(inProbabilities.rowCount == verifiedSets.count, "one verified set per row")
        var values: [Double] = []
        for label in 0..<inProbabilities.columnCount {
            let scored = (0..<inProbabilities.rowCount)
                .map { (p: inProbabilities.values[$0 * inProbabilities.columnCount + label], isIn: verifiedSets[$0].contains(label)) }
                .sorted { $0.p > $1.p }
            let positives = scored.filter(\.isIn).count
            guard positives > 0 else {
                values.append(fallback)
                continue
            }
            // Walk down the ranking: predicting "in" for the top k gives TP(k), FP(k).
            var best = (f1: -1.0, threshold: fallback)
            var truePositives = 0
            for k in scored.indices {
                if scored[k].isIn { truePositives += 1 }
                if k + 1 < scored.count, scored[k + 1].p == scored[k].p { continue }
                let f1 = 2 * Double(truePositives) / Double(k + 1 + positives)
                let next = k + 1 < scored.count ? scored[k + 1].p : 0
                if f1 > best.f1 { best = (f1, (scored[k].p + next) / 2) }
            }
            values.append(best.threshold)
        }
        return LabelThresholds(values: values)
    }

    /// The labels whose probability is at or above their cut-off.
    public func predictedSet<C: Collection<Double>>(_ inProbabilities: C) -> Set<Int> {
        Set(inProbabilities.enumerated().filter { $0.offset < values.count && $0.element >= values[$0.offset] }.map(\.offset))
    }

    /// Whether every label is settled: each probability at least `minimumProbability` (in) or at
    /// most 1 − `minimumProbability` (out). Routing may auto-accept a set only then.
    public static func isEveryLabelSettled<C: Collection<Double>>(_ inProbabilities: C, minimumProbability: Double) -> Bool {
        inProbabilities.allSatisfy { $0 >= minimumProbability || $0 <= 1 - minimumProbability }
    }
}
