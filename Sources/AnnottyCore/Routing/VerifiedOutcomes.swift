/// A model's predictions on items whose label a person has since settled: the evidence that
/// calibration is fitted on and that the router measures the model's accuracy with.
public struct VerifiedOutcomes: Sendable {
    public struct Outcome: Sendable, Equatable {
        public var itemId: Int64
        /// Probabilities in label-set order.
        public var probabilities: [Double]
        public var predictedIndex: Int
        public var trueIndex: Int
        public var isCorrect: Bool { predictedIndex == trueIndex }

        public init(itemId: Int64, probabilities: [Double], predictedIndex: Int, trueIndex: Int) {
            self.itemId = itemId
            self.probabilities = probabilities
            self.predictedIndex = predictedIndex
            self.trueIndex = trueIndex
        }
    }

    public let model: String
    public let outcomes: [Outcome]

    public init(model: String, outcomes: [Outcome]) {
        self.model = model
        self.outcomes = outcomes
    }

    /// Reads, for `model`, each item's latest valid prediction and the label people gave it
    /// (accepted, corrected, audited or adjudicated; never an auto-accept).
    public init(store: any AnnotationStore, model: String, labels: LabelSet) throws {
        let finals = try store.finalLabels().filter { $0.value.kind != .auto }
        var outcomes: [Outcome] = []
        for prediction in try store.allLatestPredictions(model: model) where prediction.isValid && prediction.source != .imported {
            guard let predicted = prediction.label.flatMap(labels.index(of:)),
                  let truth = finals[prediction.itemId].flatMap({ labels.index(of: $0.label) }) else { continue }
            outcomes.append(Outcome(itemId: prediction.itemId, probabilities: prediction.vector(over: labels),
                                    predictedIndex: predicted, trueIndex: truth))
        }
        self.init(model: model, outcomes: outcomes)
    }

    public var count: Int { outcomes.count }

    public var accuracy: Double? {
        outcomes.isEmpty ? nil : Double(outcomes.filter(\.isCorrect).count) / Double(outcomes.count)
    }

    public var rawConfidences: [Double] { outcomes.map { $0.probabilities[$0.predictedIndex] } }
    public var correctness: [Bool] { outcomes.map(\.isCorrect) }
}
