/// Replays a multi-label labelling loop offline against gold sets: random seed items, then rounds of
/// retraining the one-vs-rest learner, letting the selector pick a batch from the pool and labelling
/// it with its gold sets. Test scores after every retraining give the learning curve.
public struct MultiLabelSimulator: Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        public var seedSize: Int
        public var rounds: Int
        public var batchSize: Int
        public var vectorizer: TextVectorizer.Configuration
        public var learner: TaskLearner.Configuration

        public init(seedSize: Int = 50, rounds: Int = 10, batchSize: Int = 50,
                    vectorizer: TextVectorizer.Configuration = .init(),
                    learner: TaskLearner.Configuration = .init(balanceClasses: true)) {
            self.seedSize = seedSize
            self.rounds = rounds
            self.batchSize = batchSize
            self.vectorizer = vectorizer
            self.learner = learner
        }
    }

    /// Test scores after one retraining.
    public struct Point: Sendable, Equatable, Codable {
        public var labelCount: Int
        public var scores: MultiLabelScores
    }

    public let train: MultiLabelDataset
    public let test: MultiLabelDataset
    public let configuration: Configuration
    public let vectorizer: TextVectorizer
    private let trainVectors: [SparseVector]
    private let testVectors: [SparseVector]

    public init(train: MultiLabelDataset, test: MultiLabelDataset, configuration: Configuration = Configuration()) {
        precondition(train.labelNames == test.labelNames, "train and test need the same labels")
        self.train = train
        self.test = test
        self.configuration = configuration
        vectorizer = TextVectorizer(fittingTexts: train.texts, configuration: configuration.vectorizer)
        trainVectors = vectorizer.vectors(for: train.texts)
        testVectors = vectorizer.vectors(for: test.texts)
    }

    private var labelCount: Int { train.labelNames.count }

    /// Test scores of the learner trained on every training item.
    public func fullTrainingScores() -> MultiLabelScores {
        var learner = OneVsRestLearner(labelCount: labelCount, vectorizer: vectorizer, configuration: configuration.learner)
        learner.train(vectors: trainVectors, labelSets: train.labelSets)
        return scores(of: learner)
    }

    /// One run; the seed fixes the seed items (the same for every selector) and the selector's random choices.
    public func run(selector: MultiLabelQuerySelector, seed: UInt64) -> [Point] {
        var strategy = selector.strategy
        strategy.batchSize = configuration.batchSize
        let batchSelector = MultiLabelQuerySelector(measure: selector.measure, strategy: strategy)
        var generator = SeededGenerator(seed: seed)
        var order = Array(0..<train.count)
        order.shuffle(using: &generator)
        var labelled = Array(order.prefix(min(configuration.seedSize, train.count)))
        var isLabelled = [Bool](repeating: false, count: train.count)
        for item in labelled { isLabelled[item] = true }

        var points: [Point] = []
        var learner = OneVsRestLearner(labelCount: labelCount, vectorizer: vectorizer, configuration: configuration.learner)
        for round in 0...configuration.rounds {
            learner.train(vectors: labelled.map { trainVectors[$0] }, labelSets: labelled.map { train.labelSets[$0] })
            points.append(Point(labelCount: labelled.count, scores: scores(of: learner)))
            guard round < configuration.rounds else { break }
            let pool = (0..<train.count).filter { !isLabelled[$0] }
            guard !pool.isEmpty else { break }
            let poolVectors = pool.map { trainVectors[$0] }
            let ranking = batchSelector.rank(inProbabilities: learner.inProbabilities(for: poolVectors), vectors: poolVectors,
                                             labelledVectors: labelled.map { trainVectors[$0] },
                                             seed: seed &* 1_000_003 &+ UInt64(round))
            for position in ranking.prefix(configuration.batchSize) {
                labelled.append(pool[position])
                isLabelled[pool[position]] = true
            }
        }
        return points
    }

    /// Scores at the 0.5 cut-off: thresholds fitted on the learner's own training labels would flatter it.
    private func scores(of learner: OneVsRestLearner) -> MultiLabelScores {
        let probabilities = learner.inProbabilities(for: testVectors)
        let thresholds = LabelThresholds.uniform(labelCount: labelCount)
        let predicted = (0..<probabilities.rowCount).map { thresholds.predictedSet(probabilities[$0]) }
        return MultiLabelScores(predicted: predicted, gold: test.labelSets, labelCount: labelCount)
    }
}
