/// How well predicted label sets match gold ones, as scikit-learn scores them on multi-hot
/// matrices: `f1_score(average='micro')`, `f1_score(average='macro', zero_division=0)` and
/// `accuracy_score` (the exact-match ratio).
public struct MultiLabelScores: Sendable, Equatable, Codable {
    /// F1 over every (item, label) decision pooled.
    public var microF1: Double
    /// The mean of the per-label F1s; a label never predicted nor gold scores 0.
    public var macroF1: Double
    /// Share of items whose predicted set equals the gold set.
    public var subsetAccuracy: Double

    public init(microF1: Double, macroF1: Double, subsetAccuracy: Double) {
        self.microF1 = microF1
        self.macroF1 = macroF1
        self.subsetAccuracy = subsetAccuracy
    }

    public init(predicted: [Set<Int>], gold: [Set<Int>], labelCount: Int) {
        precondition(predicted.count == gold.count, "one predicted set per gold set")
        var truePositives = [Int](repeating: 0, count: labelCount)
        var falsePositives = [Int](repeating: 0, count: labelCount)
        var falseNegatives = [Int](repeating: 0, count: labelCount)
        var exact = 0
        for (guess, truth) in zip(predicted, gold) {
            if guess == truth { exact += 1 }
            for label in 0..<labelCount {
                switch (guess.contains(label), truth.contains(label)) {
                case (true, true): truePositives[label] += 1
                case (true, false): falsePositives[label] += 1
                case (false, true): falseNegatives[label] += 1
                case (false, false): break
                }
            }
        }
        func f1(_ tp: Int, _ fp: Int, _ fn: Int) -> Double {
            let denominator = 2 * tp + fp + fn
            return denominator == 0 ? 0 : 2 * Double(tp) / Double(denominator)
        }
        microF1 = f1(truePositives.reduce(0, +), falsePositives.reduce(0, +), falseNegatives.reduce(0, +))
        macroF1 = labelCount == 0 ? 0
            : (0..<labelCount).map { f1(truePositives[$0], falsePositives[$0], falseNegatives[$0]) }.reduce(0, +) / Double(labelCount)
        subsetAccuracy = gold.isEmpty ? 0 : Double(exact) / Double(gold.count)
    }
}
