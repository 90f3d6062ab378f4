/// The learning cycle's re-rank for an entity-span project (`QueueReranker.rank` hands over to it):
/// trains the span learner (an averaged structured perceptron over hashed word features,
/// `SpanLearner`) on people's final span sets, then orders the front of the queue by the learner's
/// margin between its best and second-best tag sequences, smallest first: the sentences it is least
/// sure how to tag (`SpanActiveLearning`'s `margin` strategy, which beats random on CoNLL-2003).
///
/// A span set comes from the final decision's label (`SpanAnnotation.label(for:)`), its mentions
/// read from the item's text: the same spans `decision_spans` holds, through any store.
/// The learner's spans are not saved as opinions beside the LLM's yet (nothing pools them).
public struct SpanQueueRanking: Sendable {
    public let config: ProjectConfig
    public let poolLimit: Int
    public let options: SpanLearner.Options

    /// Fewer hash buckets than the simulator's: the cycle retrains often, in the background, on
    /// the few thousand sentences people label.
    public init(config: ProjectConfig, poolLimit: Int, options: SpanLearner.Options = SpanLearner.Options(featureBuckets: 1 << 18, epochs: 5)) {
        self.config = config
        self.poolLimit = poolLimit
        self.options = options
    }

    /// nil order while people have decided fewer than two items or marked no span at all.
    public func rank(store: any AnnotationStore, seed: UInt64) throws -> QueueReranker.Ranking {
        let finals = try store.finalLabels().filter { config.queue.trainOnAutoAccepted || $0.value.kind != .auto }
        let decidedIds = finals.filter { $0.value.label.hasPrefix("spans:") }.keys.sorted()
        let decidedItems = try store.items(ids: decidedIds)
        let training = decidedItems.compactMap { item -> SpanItem? in
            guard let label = finals[item.id]?.label, let spans = Self.spans(label: label, text: item.text) else { return nil }
            return SpanItem(id: String(item.id), text: item.text, spans: spans)
        }
        guard training.count >= 2, training.contains(where: { !$0.spans.isEmpty }) else { return QueueReranker.Ranking(order: nil) }
        let poolIds = try store.openItemIds(limit: poolLimit)
        guard !poolIds.isEmpty else { return QueueReranker.Ranking(order: [], trainedOn: training.count) }
        let poolItems = try store.items(ids: poolIds)

        var learnerOptions = options
        learnerOptions.seed = seed
        let learner = SpanLearner.train(on: training, types: config.labels.names, options: learnerOptions)
        let margins = poolItems.map { item in
            learner.margin(learner.encode(SpanItem(id: String(item.id), text: item.text, spans: [])))
        }
        // Stable: equal margins keep the queue's order.
        let order = poolItems.indices.sorted { (margins[$0], $0) < (margins[$1], $1) }.map { poolItems[$0].id }
        return QueueReranker.Ranking(order: order, trainedOn: training.count)
    }

    /// The spans a span-set label names, their text read from the item's; nil when one is off it.
    static func spans(label: String, text: String) -> [EntitySpan]? {
        guard let keys = SpanAnnotation.keys(inLabel: label) else { return nil }
        let scalars = ScalarText(text)
        var spans: [EntitySpan] = []
        for key in keys {
            guard let covered = scalars.slice(key.start, key.end) else { return nil }
            spans.append(EntitySpan(start: key.start, end: key.end, type: key.type, text: covered))
        }
        return spans
    }
}
