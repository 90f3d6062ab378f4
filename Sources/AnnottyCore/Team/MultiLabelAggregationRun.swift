import Foundation

/// `annotty aggregate` on a multi-label project: each label settled as a yes/no question by
/// majority vote or Dawid-Skene (`MultiLabelAggregation`), the labels settled "in" making the
/// item's set. Stored where single-label aggregates go, with the encoded set as the label and each
/// label's probability of being in as its posterior, so `export --label-from` reads it unchanged.
public struct MultiLabelAggregationRun {
    public struct Outcome: Sendable {
        public var method: AggregationRun.Method
        public var items: Int
        /// Per label: on how many items the vote on it was tied (majority only).
        public var tiedItems: Int
        /// Against gold sets where items have them.
        public var scoredItems: Int
        /// Share of scored items whose set equals the gold set.
        public var exactMatch: Double?
        public var scores: MultiLabelScores?
        /// How many aggregated sets hold each label, in label order.
        public var labelCounts: [Int]
        public var emptySets: Int
        public var labels: [AggregatedLabel]
    }

    public let store: any AnnotationStore
    public let labels: LabelSet

    public init(store: any AnnotationStore, labels: LabelSet) {
        self.store = store
        self.labels = labels
    }

    /// - Parameter tieRule: majority only, per label: `.lowestClass` leaves a tied label out (the
    ///   default), `.highestClass` puts it in.
    public func run(method: AggregationRun.Method, tieRule: MajorityTieRule = .lowestClass, save: Bool = true) throws -> Outcome {
        let team = try MultiLabelTeamLabels(store: store, labels: labels)
        guard !team.answers.isEmpty else {
            throw InputError(file: "annotty.sqlite", message: "no label sets to aggregate yet (label items, or import-annotations)")
        }
        let aggregate: MultiLabelAggregate
        var tied = 0
        switch method {
        case .majority:
            aggregate = try MultiLabelAggregation.majority(team.answers, itemCount: team.itemCount, labelCount: labels.count,
                                                           tieRule: tieRule)
            // A share of exactly one half is a tie that the rule broke.
            tied = aggregate.inProbabilities.reduce(0) { $0 + $1.filter { $0 == 0.5 }.count }
        case .dawidSkene, .oneCoin:
            aggregate = try MultiLabelAggregation.dawidSkene(team.answers, itemCount: team.itemCount,
                                                             annotatorCount: team.annotatorCount, labelCount: labels.count,
                                                             model: DawidSkene(model: method == .oneCoin ? .oneCoin : .fullConfusion))
        }
        let stored = team.itemIds.enumerated().map { index, itemId in
            AggregatedLabel(itemId: itemId, label: aggregate.sets[index].map { MultiLabelAnswer(indices: $0, labels: labels).encoded },
                            posteriors: Dictionary(uniqueKeysWithValues: zip(labels.names, aggregate.inProbabilities[index])))
        }
        let sets = aggregate.sets.compactMap { $0 }
        var outcome = Outcome(method: method, items: stored.count, tiedItems: tied, scoredItems: 0, exactMatch: nil, scores: nil,
                              labelCounts: (0..<labels.count).map { label in sets.filter { $0.contains(label) }.count },
                              emptySets: sets.filter(\.isEmpty).count, labels: stored)
        var predicted: [Set<Int>] = []
        var truth: [Set<Int>] = []
        for (index, gold) in team.goldSets(try store.goldLabels(), labels: labels).enumerated() {
            guard let gold, let set = aggregate.sets[index] else { continue }
            predicted.append(set)
            truth.append(gold)
        }
        if !truth.isEmpty {
            let scores = MultiLabelScores(predicted: predicted, gold: truth, labelCount: labels.count)
            outcome.scoredItems = truth.count
            outcome.exactMatch = scores.subsetAccuracy
            outcome.scores = scores
        }
        if save { try store.replaceAggregates(method: method.rawValue, stored) }
        return outcome
    }
}
