import Foundation

/// Trains the task learner on the labels people gave and re-ranks the front of the queue with
/// the project's query strategy. A value: the caller runs it off the UI thread and hands the
/// result on as an event; the store swaps the new order in at once.
public struct QueueReranker: Sendable {
    /// What one re-rank found.
    public struct Ranking: Sendable, Equatable {
        /// The new order of the front of the queue; nil while people have given fewer than two
        /// different labels (nothing to learn from yet).
        public var order: [Int64]?
        /// The learner's top label per ranked item: its opinion beside the LLM's (empty for a
        /// multi-label project, whose learner's set feeds only the ranking yet).
        public var learnerLabels: [Int64: String]
        /// The learner's probabilities (label-set order) for each item scored; for a multi-label
        /// project each label's probability of being in the set.
        public var learnerProbabilities: [Int64: [Double]]
        /// How many labels the learner was trained on.
        public var trainedOn: Int
        /// The learner's out-of-fold probabilities for the items it was trained on (each from a
        /// learner trained on the other folds): what the combiner weighs it by. Empty when there
        /// are too many labels to afford it; the opinions saved before each decision stand in.
        public var outOfFold: [Int64: [Double]]

        public init(order: [Int64]?, learnerLabels: [Int64: String] = [:], learnerProbabilities: [Int64: [Double]] = [:],
                    trainedOn: Int = 0, outOfFold: [Int64: [Double]] = [:]) {
            self.order = order
            self.learnerLabels = learnerLabels
            self.learnerProbabilities = learnerProbabilities
            self.trainedOn = trainedOn
            self.outOfFold = outOfFold
        }
    }

    public let config: ProjectConfig
    /// How many open items, from the front of the current order, are scored each time: enough
    /// for many batches, bounded so a re-rank stays fast on a million-item queue.
    public let poolLimit: Int

    /// Up to this many labels the learner's out-of-fold opinions are computed each cycle
    /// (`outOfFoldFolds` more trainings); above it the saved opinions serve.
    public let outOfFoldLimit: Int
    public static let outOfFoldFolds = 3
    /// Splits into folds averaged for the out-of-fold opinions while the labels are few
    /// (`outOfFoldRepeats(labels:)`). One split drawn afresh each cycle moved the combiner's
    /// choice and the router's evidence by chance: on the TREC-6 replay, four fixed splits gave
    /// 710 to 778 human decisions and left the pre-label 1 to 19 points under the learner; the
    /// average of three, with the combiner keeping the rule it earned (`OpinionCombiner.fit(previous:)`),
    /// kept it within 0.2 points of the better opinion on three paths (docs/model-in-the-loop.md).
    public static let outOfFoldMaximumRepeats = 3

    /// Repeats for `labels` labels: at most `outOfFoldMaximumRepeats`, fewer as the labels grow, so
    /// that a cycle trains at most about as much as three splits of 1,000 labels (a split of 5,000
    /// labels alone is several seconds on a 2-core machine), and by then one split varies little.
    public static func outOfFoldRepeats(labels: Int) -> Int {
        max(1, min(outOfFoldMaximumRepeats, outOfFoldMaximumRepeats * 1_000 / max(1, labels)))
    }

    /// Salts the items' folds for the out-of-fold opinions (`StableFolds`): the project's
    /// `[queue] fold_seed`, 0 unless a replay's `--seed` set it to show another path.
    public var foldSalt: UInt64 { config.queue.foldSalt }

    public init(config: ProjectConfig, poolLimit: Int = 5_000, outOfFoldLimit: Int = 5_000) {
        self.config = config
        self.poolLimit = poolLimit
        self.outOfFoldLimit = outOfFoldLimit
    }

    public var strategy: SelectionStrategy {
        var strategy = SelectionStrategy.presets.first { $0.name == config.queue.strategy }?.strategy ?? .default
        let queue = config.queue
        strategy.randomShare = queue.randomShare
        if let weight = queue.uncertaintyWeight { strategy.uncertaintyWeight = weight }
        if let weight = queue.densityWeight { strategy.densityWeight = weight }
        if let weight = queue.diversityWeight { strategy.diversityWeight = weight }
        if let weight = queue.disagreementWeight { strategy.disagreementWeight = weight }
        if let similarity = queue.duplicateSimilarity { strategy.duplicateSimilarity = similarity }
        return strategy
    }

    /// Retrains the learner and ranks the front of the queue; `seed` drives the strategy's
    /// random share (pass a different one each run). The out-of-fold opinions' folds do not
    /// depend on it (`StableFolds`, salted by `foldSalt`).
    public func rank(store: any AnnotationStore, seed: UInt64) throws -> Ranking {
        if config.task == .spans {
            return try SpanQueueRanking(config: config, poolLimit: poolLimit).rank(store: store, seed: seed)
        }
        if config.task == .multi {
            return try MultiLabelQueueRanking(config: config, strategy: strategy, poolLimit: poolLimit).rank(store: store, seed: seed)
        }
        let labels = config.labels
        guard let (trainingIds, trainingItems, trainingLabels) = try trainingSet(store: store) else { return Ranking(order: nil) }
        let poolIds = try store.openItemIds(limit: poolLimit)
        guard !poolIds.isEmpty else { return Ranking(order: []) }
        let poolItems = try store.items(ids: poolIds)

        var (learner, trainingVectors, poolVectors) = Self.featurized(trainingItems, pool: poolItems, labelCount: labels.count)
        learner.train(vectors: trainingVectors, labels: trainingLabels)
        let probabilities = learner.probabilities(for: poolVectors)

        let predictions = try store.latestPredictions(itemIds: poolItems.map(\.id))
        let llm: [[Double]?] = poolItems.map { item in
            predictions[item.id].flatMap { $0.isValid && $0.source != .imported ? $0.vector(over: labels) : nil }
        }
        let order = QuerySelector(strategy: strategy).rank(
            learnerProbabilities: probabilities, vectors: poolVectors,
            labelledVectors: Array(trainingVectors.suffix(strategy.labelledComparisonLimit)), llmProbabilities: llm, seed: seed)

        var tops: [Int64: String] = [:]
        var vectors: [Int64: [Double]] = [:]
        for (index, item) in poolItems.enumerated() {
            let row = probabilities[index]
            vectors[item.id] = Array(row)
            if let best = row.indices.max(by: { row[$0] < row[$1] }) { tops[item.id] = labels.names[best - row.startIndex] }
        }
        // Out of fold, the learner is judged as it is now, on items it was not trained on. Its
        // opinions saved before each decision judge it as it was then: up to hundreds of labels
        // behind, it lost every comparison with the LLM on TREC-6 long after it had overtaken it.
        let outOfFold = outOfFoldOpinions(trainingIds: trainingIds, vectors: trainingVectors, labels: trainingLabels,
                                          learner: learner)
        return Ranking(order: order.map { poolItems[$0].id }, learnerLabels: tops, learnerProbabilities: vectors,
                       trainedOn: trainingIds.count, outOfFold: outOfFold)
    }

    /// The learner's out-of-fold opinions on the items it trains on, as `rank` gives them
    /// (`Ranking.outOfFold`), without ranking anything: for `annotty plan`, whose evidence must be
    /// the routing pass's. Empty for a multi-label or span project, or with one label so far.
    public func outOfFoldOpinions(store: any AnnotationStore) throws -> [Int64: [Double]] {
        guard config.task == .single, let (trainingIds, trainingItems, trainingLabels) = try trainingSet(store: store) else { return [:] }
        let pool = try store.items(ids: try store.openItemIds(limit: poolLimit))
        let (learner, vectors, _) = Self.featurized(trainingItems, pool: pool, labelCount: config.labels.count)
        return outOfFoldOpinions(trainingIds: trainingIds, vectors: vectors, labels: trainingLabels, learner: learner)
    }

    /// The final labels the learner trains on (`trainsOn`), in item order: ids, items and label
    /// indices; nil while they are fewer than two different labels.
    private func trainingSet(store: any AnnotationStore) throws -> (ids: [Int64], items: [Item], labels: [Int])? {
        let training = try store.finalLabels().filter { trainsOn($0.value) }
        guard Set(training.values.map(\.label)).count >= 2 else { return nil }
        let items = try store.items(ids: training.keys.sorted())
        return (items.map(\.id), items, items.map { config.labels.index(of: training[$0.id]!.label) ?? 0 })
    }

    private func outOfFoldOpinions(trainingIds: [Int64], vectors: [SparseVector], labels: [Int],
                                   learner: TaskLearner) -> [Int64: [Double]] {
        guard trainingIds.count <= outOfFoldLimit else { return [:] }
        let splits = StableFolds.splits(itemIds: trainingIds, folds: Self.outOfFoldFolds,
                                        repeats: Self.outOfFoldRepeats(labels: trainingIds.count), salt: foldSalt)
        let folds = LabelErrorFinder.outOfFoldProbabilities(vectors: vectors, labels: labels, labelCount: learner.labelCount,
                                                            vectorizer: learner.vectorizer, splits: splits,
                                                            configuration: learner.configuration)
        return Dictionary(uniqueKeysWithValues: zip(trainingIds, folds))
    }

    /// The learner's opinions on `itemIds` had it been trained on the final labels of
    /// `trainingIds` alone, by the same recipe as `rank` (single-label projects): what it said
    /// with fewer labels (`ConfidenceGrowth`). Empty when those labels are all one label.
    public func opinions(store: any AnnotationStore, on itemIds: [Int64], trainedOn trainingIds: [Int64]) throws -> [Int64: [Double]] {
        let labels = config.labels
        let finals = try store.finalLabels()
        let trainingItems = try store.items(ids: trainingIds).filter { finals[$0.id] != nil }
        let trainingLabels = trainingItems.map { labels.index(of: finals[$0.id]!.label) ?? 0 }
        guard Set(trainingLabels).count >= 2, !itemIds.isEmpty else { return [:] }
        let items = try store.items(ids: itemIds)
        var (learner, trainingVectors, vectors) = Self.featurized(trainingItems, pool: items, labelCount: labels.count)
        learner.train(vectors: trainingVectors, labels: trainingLabels)
        let probabilities = learner.probabilities(for: vectors)
        return Dictionary(uniqueKeysWithValues: items.enumerated().map { index, item in (item.id, Array(probabilities[index])) })
    }

    /// Whether the learner trains on an item's final label (`train_on_auto_accepted`).
    public func trainsOn(_ final: (label: String, kind: DecisionKind)) -> Bool {
        config.queue.trainOnAutoAccepted || final.kind != .auto
    }

    /// An untrained learner whose vocabulary is fitted on `items` and `pool`, with both sets'
    /// feature vectors (`ItemFeaturizer`): the same features for every training of one re-rank.
    static func featurized(_ items: [Item], pool: [Item], labelCount: Int) -> (TaskLearner, training: [SparseVector], pool: [SparseVector]) {
        let featurizer = ItemFeaturizer(fitting: items + pool)
        let learner = TaskLearner(labelCount: labelCount, vectorizer: featurizer.vectorizer)
        return (learner, featurizer.vectors(for: items), featurizer.vectors(for: pool))
    }
}
