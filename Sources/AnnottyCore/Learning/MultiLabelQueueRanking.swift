/// The re-rank of a multi-label project (`QueueReranker.rank` hands over to it): trains the
/// one-vs-rest learner on the sets people gave and orders the front of the queue by how
/// uncertain the learner is about each item's whole set (`MultiLabelQuerySelector`: maximum
/// per-label entropy, the strategy's batch), most uncertain first.
///
/// Its per-label probabilities of "in" are saved as the learner's opinions; its set feeds
/// nothing else yet (no opinion combiner for sets), so `learnerLabels` stays empty.
struct MultiLabelQueueRanking {
    let config: ProjectConfig
    let strategy: SelectionStrategy
    let poolLimit: Int

    func rank(store: any AnnotationStore, seed: UInt64) throws -> QueueReranker.Ranking {
        let labels = config.labels
        var sets: [Int64: Set<Int>] = [:]
        for (itemId, final) in try store.finalLabels() where config.queue.trainOnAutoAccepted || final.kind != .auto {
            // A label that is not a set of the project's labels (decided before a change of task) is left out.
            if let answer = MultiLabelAnswer.decode(final.label, labels: labels) { sets[itemId] = answer.indices(in: labels) }
        }
        // Nothing to learn while every decided item has the same set.
        guard Set(sets.values).count >= 2 else { return QueueReranker.Ranking(order: nil) }
        let trainingIds = sets.keys.sorted()
        let trainingItems = try store.items(ids: trainingIds)
        let poolIds = try store.openItemIds(limit: poolLimit)
        guard !poolIds.isEmpty else { return QueueReranker.Ranking(order: []) }
        let poolItems = try store.items(ids: poolIds)

        let featurizer = ItemFeaturizer(fitting: trainingItems + poolItems)
        var learner = OneVsRestLearner(labelCount: labels.count, vectorizer: featurizer.vectorizer)
        let trainingVectors = featurizer.vectors(for: trainingItems)
        learner.train(vectors: trainingVectors, labelSets: trainingItems.map { sets[$0.id] ?? [] })
        let poolVectors = featurizer.vectors(for: poolItems)
        let inProbabilities = learner.inProbabilities(for: poolVectors)

        let selector = MultiLabelQuerySelector(measure: .maxEntropy, strategy: strategy)
        let order = selector.rank(inProbabilities: inProbabilities, vectors: poolVectors,
                                  labelledVectors: Array(trainingVectors.suffix(strategy.labelledComparisonLimit)), seed: seed)
        var opinions: [Int64: [Double]] = [:]
        for (index, item) in poolItems.enumerated() { opinions[item.id] = Array(inProbabilities[index]) }
        return QueueReranker.Ranking(order: order.map { poolItems[$0].id }, learnerProbabilities: opinions,
                                     trainedOn: trainingIds.count)
    }
}
