/// A model's multi-label predictions on items whose set a person has since settled: what the
/// per-label calibration is fitted on, and what the routing threshold and accuracy floor measure.
public struct MultiLabelOutcomes: Sendable {
    public struct Outcome: Sendable, Equatable {
        public var itemId: Int64
        /// The model's raw probability of each label being in the set, in label-set order.
        public var inProbabilities: [Double]
        /// The label indices people put in the set.
        public var truth: Set<Int>

        public init(itemId: Int64, inProbabilities: [Double], truth: Set<Int>) {
            self.itemId = itemId
            self.inProbabilities = inProbabilities
            self.truth = truth
        }

        /// The raw set at the 0.5 cut-off (as `MultiLabelAnswer.predicted`).
        public var predicted: Set<Int> { Set(inProbabilities.indices.filter { inProbabilities[$0] >= 0.5 }) }
    }

    public let model: String
    public let labels: LabelSet
    public let outcomes: [Outcome]

    public init(model: String, labels: LabelSet, outcomes: [Outcome]) {
        self.model = model
        self.labels = labels
        self.outcomes = outcomes
    }

    /// Reads, for `model`, each item's latest valid multi-label prediction and the set people gave
    /// it (accepted, corrected, audited or adjudicated; never an auto-accept). Items whose final
    /// label is not a set of `labels` (decided before the task kind changed) are left out.
    public init(store: any AnnotationStore, model: String, labels: LabelSet) throws {
        let finals = try store.finalLabels().filter { $0.value.kind != .auto }
        var outcomes: [Outcome] = []
        for prediction in try store.allLatestPredictions(model: model)
        where prediction.isValid && prediction.source != .imported {
            guard prediction.label.flatMap({ MultiLabelAnswer.decode($0, labels: labels) }) != nil,
                  let truth = finals[prediction.itemId].flatMap({ MultiLabelAnswer.decode($0.label, labels: labels) }) else { continue }
            // Raw, never the stored calibrated ones: the calibration is refitted on what the model said.
            outcomes.append(Outcome(itemId: prediction.itemId, inProbabilities: labels.names.map { prediction.probabilities[$0] ?? 0 },
                                    truth: truth.indices(in: labels)))
        }
        self.init(model: model, labels: labels, outcomes: outcomes)
    }

    public var count: Int { outcomes.count }

    /// Share of outcomes whose raw set is exactly the people's set.
    public var setAccuracy: Double? {
        outcomes.isEmpty ? nil : Double(outcomes.filter { $0.predicted == $0.truth }.count) / Double(outcomes.count)
    }

    /// Label `label`'s outcomes as binary ones: the vector [P(out), P(in)], predicted and true
    /// index 1 for "in". What `ModelCalibration.fit` takes.
    public func binary(label: Int) -> VerifiedOutcomes {
        VerifiedOutcomes(model: model, outcomes: outcomes.map { outcome in
            let p = MultiLabelCalibration.clamped(outcome.inProbabilities[label])
            return VerifiedOutcomes.Outcome(itemId: outcome.itemId, probabilities: [1 - p, p],
                                            predictedIndex: p >= 0.5 ? 1 : 0,
                                            trueIndex: outcome.truth.contains(label) ? 1 : 0)
        })
    }
}
