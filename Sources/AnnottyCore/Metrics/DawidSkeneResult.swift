/// What Dawid-Skene estimated.
public struct DawidSkeneResult: Sendable, Codable, Equatable {
    public let model: DawidSkene.Model
    /// Class priors (mean posterior over labelled items).
    public let priors: [Double]
    /// `[annotator][true class][given label]`: probability the annotator gives the label when the item's
    /// true class is the row. See `DawidSkene` for how unobserved labels are filled.
    public let confusionMatrices: [[[Double]]]
    /// One-coin model only: each annotator's estimated accuracy.
    public let annotatorSkills: [Double]?
    /// `[item][class]` posterior of the true class; the priors for items without labels.
    public let posteriors: [[Double]]
    /// Argmax posterior per item (ties to the lowest class); nil for items without labels.
    public let labels: [Int?]
    /// EM iterations run (E-steps), crowd-kit's `len(loss_history_)`.
    public let iterations: Int
    /// The evidence lower bound per label after each iteration (crowd-kit `loss_history_`).
    public let evidenceLowerBounds: [Double]
    /// Whether the tolerance stopped the loop before `maxIterations` ran out.
    public let converged: Bool

    /// Per item, the top posterior: the confidence that goes with `labels`; nil for unlabelled items.
    public var confidences: [Double?] {
        zip(labels, posteriors).map { label, row in label.map { row[$0] } }
    }

    /// Confidence/correctness pairs for calibration (confidence = max posterior, correct = argmax == gold),
    /// over items with both a label and a gold class.
    public func calibrationPairs(against gold: [Int?]) throws -> (confidences: [Double], correct: [Bool]) {
        guard gold.count == labels.count else { throw MetricsError.lengthMismatch(gold.count, labels.count) }
        var confidenceValues: [Double] = []
        var correctness: [Bool] = []
        for (item, label) in labels.enumerated() {
            guard let label, let truth = gold[item] else { continue }
            confidenceValues.append(posteriors[item][label])
            correctness.append(label == truth)
        }
        return (confidenceValues, correctness)
    }

    /// Fraction of items whose label equals gold, over items with both.
    public func accuracy(against gold: [Int?]) throws -> Double {
        let pairs = try calibrationPairs(against: gold)
        guard !pairs.correct.isEmpty else { throw MetricsError.empty }
        return Double(pairs.correct.filter { $0 }.count) / Double(pairs.correct.count)
    }
}
