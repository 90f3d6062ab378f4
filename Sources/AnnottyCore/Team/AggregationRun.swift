import Foundation

/// `annotty aggregate`: one label per item from several people's labels, by majority vote or
/// Dawid-Skene, stored so that export carries it, and scored against gold where known.
public struct AggregationRun {
    public enum Method: String, Sendable, CaseIterable {
        case majority
        case dawidSkene = "dawid-skene"
        case oneCoin = "one-coin"
    }

    public struct Outcome: Sendable {
        public var method: Method
        public var items: Int
        public var tiedItems: Int
        public var priors: [Double]?
        public var iterations: Int?
        /// Against gold labels where the project has them: (items scored, accuracy, Cohen's kappa).
        public var accuracy: Double?
        public var kappa: Double?
        public var scoredItems: Int
        public var labels: [AggregatedLabel]
    }

    public let store: any AnnotationStore
    public let labels: LabelSet

    public init(store: any AnnotationStore, labels: LabelSet) {
        self.store = store
        self.labels = labels
    }

    public func run(method: Method, tieRule: MajorityTieRule = .lowestClass, save: Bool = true) throws -> Outcome {
        let team = try TeamLabels(store: store, labels: labels)
        guard !team.crowd.labels.isEmpty else {
            throw InputError(file: "annotty.sqlite", message: "no labels to aggregate yet")
        }
        let gold = team.goldIndices(try store.goldLabels())
        var outcome: Outcome
        switch method {
        case .majority:
            let vote = try MajorityVote(team.crowd.labels, itemCount: team.crowd.itemCount, classCount: labels.count, tieRule: tieRule)
            let aggregated = team.itemIds.enumerated().map { index, itemId in
                AggregatedLabel(itemId: itemId, label: vote.labels[index].map { labels.names[$0] },
                                posteriors: Dictionary(uniqueKeysWithValues: zip(labels.names, vote.shares(ofItem: index))))
            }
            outcome = Outcome(method: method, items: aggregated.count, tiedItems: vote.tiedItemCount, priors: nil,
                              iterations: nil, accuracy: nil, kappa: nil, scoredItems: 0, labels: aggregated)
        case .dawidSkene, .oneCoin:
            let model: DawidSkene.Model = method == .oneCoin ? .oneCoin : .fullConfusion
            let result = try DawidSkene(model: model).fit(team.crowd.labels, itemCount: team.crowd.itemCount,
                                                          annotatorCount: team.crowd.annotatorCount, classCount: labels.count)
            let aggregated = team.itemIds.enumerated().map { index, itemId in
                AggregatedLabel(itemId: itemId, label: result.labels[index].map { labels.names[$0] },
                                posteriors: Dictionary(uniqueKeysWithValues: zip(labels.names, result.posteriors[index])))
            }
            outcome = Outcome(method: method, items: aggregated.count, tiedItems: 0, priors: result.priors,
                              iterations: result.iterations, accuracy: nil, kappa: nil, scoredItems: 0, labels: aggregated)
        }
        var predicted: [Int] = []
        var truth: [Int] = []
        for (index, aggregate) in outcome.labels.enumerated() {
            guard let goldIndex = gold[index], let label = aggregate.label, let labelIndex = labels.index(of: label) else { continue }
            predicted.append(labelIndex)
            truth.append(goldIndex)
        }
        if !truth.isEmpty {
            outcome.scoredItems = truth.count
            outcome.accuracy = Double(zip(predicted, truth).filter { $0 == $1 }.count) / Double(truth.count)
            outcome.kappa = try? CohenKappa.score(truth, predicted, labels: Array(0..<labels.count))
        }
        if save { try store.replaceAggregates(method: method.rawValue, outcome.labels) }
        return outcome
    }
}
