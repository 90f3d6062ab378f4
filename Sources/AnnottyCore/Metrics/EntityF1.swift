/// Exact-match entity precision, recall and F1 (conlleval's): a predicted span counts only when
/// a gold span in the same item has the same start, end and type.
public struct EntityF1: Sendable, Equatable {
    public var truePositives: Int
    public var predictedCount: Int
    public var goldCount: Int

    public init(truePositives: Int = 0, predictedCount: Int = 0, goldCount: Int = 0) {
        self.truePositives = truePositives
        self.predictedCount = predictedCount
        self.goldCount = goldCount
    }

    /// Scores item by item; `gold[i]` and `predicted[i]` belong to the same item.
    /// - Throws: `MetricsError.lengthMismatch` when the item counts differ.
    public static func score(gold: [[SpanKey]], predicted: [[SpanKey]]) throws -> EntityF1 {
        guard gold.count == predicted.count else {
            throw MetricsError.lengthMismatch(gold.count, predicted.count)
        }
        var total = EntityF1()
        for (goldSpans, predictedSpans) in zip(gold, predicted) {
            total.add(gold: goldSpans, predicted: predictedSpans)
        }
        return total
    }

    /// Adds one item's spans (each span counted once, however often it is listed).
    public mutating func add(gold: [SpanKey], predicted: [SpanKey]) {
        let goldSet = Set(gold)
        let predictedSet = Set(predicted)
        truePositives += goldSet.intersection(predictedSet).count
        goldCount += goldSet.count
        predictedCount += predictedSet.count
    }

    /// 1 when nothing was predicted and nothing was expected.
    public var precision: Double { predictedCount == 0 ? (goldCount == 0 ? 1 : 0) : Double(truePositives) / Double(predictedCount) }
    public var recall: Double { goldCount == 0 ? (predictedCount == 0 ? 1 : 0) : Double(truePositives) / Double(goldCount) }
    public var f1: Double {
        let sum = precision + recall
        return sum == 0 ? 0 : 2 * precision * recall / sum
    }
}
