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
    /// random share (pass a different one each run).
    public func rank(store: any AnnotationStore, seed: UInt64) throws -> Ranking {
        if config.task == .spans {
            return try SpanQueueRanking(config: config, poolLimit: poolLimit).rank(store: store, seed: seed)
        }
        if config.task == .multi {
            return try MultiLabelQueueRanking(config: config, strategy: strategy, poolLimit: poolLimit).rank(store: store, seed: seed)
        }
        let labels = config.labels
        let finals = try store.finalLabels()
        let training = finals.filter { config.queue.trainOnAutoAccepted || $0.value.kind != .auto }
        guard Set(training.values.map(\.label)).count >= 2 else { return Ranking(order: nil) }
        let trainingIds = training.keys.sorted()
        let trainingItems = try store.items(ids: trainingIds)
        let poolIds = try store.openItemIds(limit: poolLimit)
        guard !poolIds.isEmpty else { return Ranking(order: []) }
        let poolItems = try store.items(ids: poolIds)

        let trainingTexts = trainingItems.map(Self.learnerText)
        let poolTexts = poolItems.map(Self.learnerText)
        let vectorizer = TextVectorizer(fittingTexts: trainingTexts + poolTexts)
        var learner = TaskLearner(labelCount: labels.count, vectorizer: vectorizer)
        let trainingLabels = trainingItems.map { labels.index(of: training[$0.id]!.label) ?? 0 }
        let trainingVectors = trainingTexts.map(learner.features(for:))
        learner.train(vectors: trainingVectors, labels: trainingLabels)
        let poolVectors = poolTexts.map(learner.features(for:))
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
        var outOfFold: [Int64: [Double]] = [:]
        if trainingIds.count <= outOfFoldLimit {
            let folds = LabelErrorFinder.outOfFoldProbabilities(vectors: trainingVectors, labels: trainingLabels,
                                                                labelCount: labels.count, vectorizer: vectorizer,
                                                                folds: Self.outOfFoldFolds, seed: seed,
                                                                configuration: learner.configuration)
            for (index, itemId) in trainingIds.enumerated() { outOfFold[itemId] = folds[index] }
        }
        return Ranking(order: order.map { poolItems[$0].id }, learnerLabels: tops, learnerProbabilities: vectors,
                       trainedOn: trainingIds.count, outOfFold: outOfFold)
    }

    /// What the learner reads of an item: its text and its extra fields.
    static func learnerText(_ item: Item) -> String {
        ([item.text] + item.fields.map(\.value)).joined(separator: "\n")
    }
}
