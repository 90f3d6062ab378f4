import Foundation

/// Replays labeling with routing against gold labels: a simulated person labels the queue in
/// batches (answering with the gold label), and after each batch the router refits calibration
/// and auto-accepts what it trusts. Shows what a model costs in people's time and in quality.
public struct RoutingSimulation {
    public struct Case: Sendable {
        public var text: String
        /// The model's probabilities in label-set order.
        public var probabilities: [Double]
        public var gold: Int

        public init(text: String, probabilities: [Double], gold: Int) {
            self.text = text
            self.probabilities = probabilities
            self.gold = gold
        }
    }

    public struct Result: Sendable, Equatable {
        public var items = 0
        public var humanLabels = 0
        public var autoAccepted = 0
        public var autoAcceptedWrong = 0
        /// Auto-accepts made while the model's measured accuracy was below the floor (must be 0).
        public var autoAcceptedBelowFloor = 0
        /// Final labels that match gold, over all items.
        public var finalAccuracy = 0.0
        /// The model's measured accuracy on verified outcomes after each pass.
        public var measuredAccuracy: [Double] = []
    }

    public let labels: LabelSet
    public let settings: RoutingSettings
    public let batchSize: Int

    public init(labels: LabelSet, settings: RoutingSettings, batchSize: Int = 10) {
        self.labels = labels
        self.settings = settings
        self.batchSize = batchSize
    }

    /// Runs in a scratch database inside `folder`.
    public func run(_ cases: [Case], in folder: URL, model: String = "simulated-model") throws -> Result {
        let store = try SQLiteStore(path: folder.appendingPathComponent("routing-simulation-\(UUID().uuidString).sqlite").path)
        _ = try store.importItems { sink in
            for (index, item) in cases.enumerated() {
                try sink.add(ImportRecord(externalId: String(index), text: item.text))
            }
        }
        var idByIndex: [Int64: Int] = [:]
        for (index, item) in try store.items(ids: Array(1...Int64(cases.count))).enumerated() { idByIndex[item.id] = index }
        for (itemId, index) in idByIndex {
            let vector = cases[index].probabilities
            let top = vector.indices.max { vector[$0] < vector[$1] } ?? 0
            try store.savePrediction(Prediction(itemId: itemId, model: model, label: labels.names[top],
                                                probabilities: Dictionary(uniqueKeysWithValues: zip(labels.names, vector))))
        }
        var config = ProjectConfig(name: "simulation", labels: labels)
        config.routing = settings
        let pass = RoutingPass(store: store, config: config)
        var result = Result()
        result.items = cases.count
        while true {
            let before = try store.statusCounts().autoAccepted
            let summary = try pass.run(model: model)
            let calibration = summary.calibration
            result.measuredAccuracy.append(calibration.measuredAccuracy)
            if summary.autoAccepted > 0, calibration.measuredAccuracy < settings.accuracyFloor {
                result.autoAcceptedBelowFloor += try store.statusCounts().autoAccepted - before
            }
            let batch = try store.claimNextItems(annotator: "simulated-person", limit: batchSize, excluding: [], leaseSeconds: 60)
            if batch.isEmpty { break }
            for queued in batch {
                let gold = labels.names[cases[idByIndex[queued.item.id]!].gold]
                let shown = queued.prediction?.shownLabel
                try store.recordDecision(Decision(
                    itemId: queued.item.id, annotator: "simulated-person", kind: shown == gold ? .accept : .correct, label: gold,
                    shownLabel: shown, shownConfidence: queued.prediction?.confidence, shownSource: queued.prediction?.source,
                    predictionId: queued.prediction?.id))
                result.humanLabels += 1
            }
        }
        let finals = try store.finalLabels()
        var correct = 0
        for (itemId, final) in finals {
            let gold = labels.names[cases[idByIndex[itemId]!].gold]
            if final.label == gold { correct += 1 }
            if final.kind == .auto {
                result.autoAccepted += 1
                if final.label != gold { result.autoAcceptedWrong += 1 }
            }
        }
        result.finalAccuracy = Double(correct) / Double(max(1, cases.count))
        try? FileManager.default.removeItem(atPath: store.path)
        return result
    }
}
