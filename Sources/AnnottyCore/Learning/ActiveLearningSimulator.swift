/// Replays the labelling loop offline against gold labels: start from random seed labels, then in
/// each round retrain the learner, let the selector pick a batch from the unlabelled pool, and have a
/// simulated person label it (with gold, or with a set error rate). Test accuracy after every
/// retraining gives the learning curve.
public struct ActiveLearningSimulator: Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        public var seedSize: Int
        public var rounds: Int
        public var batchSize: Int
        /// Chance that the simulated person gives a wrong label (uniform over the other labels).
        public var annotatorErrorRate: Double
        public var vectorizer: TextVectorizer.Configuration
        public var learner: TaskLearner.Configuration

        public init(seedSize: Int = 25, rounds: Int = 20, batchSize: Int = 25, annotatorErrorRate: Double = 0,
                    vectorizer: TextVectorizer.Configuration = .init(), learner: TaskLearner.Configuration = .init()) {
            self.seedSize = seedSize
            self.rounds = rounds
            self.batchSize = batchSize
            self.annotatorErrorRate = annotatorErrorRate
            self.vectorizer = vectorizer
            self.learner = learner
        }
    }

    public let train: LabelledDataset
    public let test: LabelledDataset
    public let configuration: Configuration
    /// Fitted on the training texts, all of which the tool would have as items.
    public let vectorizer: TextVectorizer
    private let trainVectors: [SparseVector]
    private let testVectors: [SparseVector]

    public init(train: LabelledDataset, test: LabelledDataset, configuration: Configuration = Configuration()) {
        self.train = train
        self.test = test
        self.configuration = configuration
        vectorizer = TextVectorizer(fittingTexts: train.texts, configuration: configuration.vectorizer)
        trainVectors = vectorizer.vectors(for: train.texts)
        testVectors = vectorizer.vectors(for: test.texts)
    }

    private var labelCount: Int { max(train.labelNames.count, test.labelNames.count) }

    /// Test accuracy of the learner trained on every training example with its gold label.
    public func fullTrainingAccuracy() -> Double {
        var learner = TaskLearner(labelCount: labelCount, vectorizer: vectorizer, configuration: configuration.learner)
        learner.train(vectors: trainVectors, labels: train.labels)
        return accuracy(of: learner)
    }

    /// One simulated run. The seed fixes the seed labels (the same for every strategy), the
    /// simulated person's errors and the selector's random choices.
    public func run(strategy: SelectionStrategy, seed: UInt64) -> LearningCurve {
        var selectionStrategy = strategy
        selectionStrategy.batchSize = configuration.batchSize
        let selector = QuerySelector(strategy: selectionStrategy)
        var seedGenerator = SeededGenerator(seed: seed)
        var annotatorGenerator = SeededGenerator(seed: seed &+ 0x5EED_A770)

        var order = Array(0..<train.count)
        order.shuffle(using: &seedGenerator)
        var labelled: [Int] = []
        var answers: [Int] = []
        var isLabelled = [Bool](repeating: false, count: train.count)
        func annotate(_ item: Int) {
            labelled.append(item)
            isLabelled[item] = true
            var answer = train.labels[item]
            if configuration.annotatorErrorRate > 0, labelCount > 1,
               annotatorGenerator.nextUnitDouble() < configuration.annotatorErrorRate {
                let offset = Int.random(in: 1..<labelCount, using: &annotatorGenerator)
                answer = (answer + offset) % labelCount
            }
            answers.append(answer)
        }
        for item in order.prefix(min(configuration.seedSize, train.count)) { annotate(item) }

        var points: [LearningCurve.Point] = []
        var learner = TaskLearner(labelCount: labelCount, vectorizer: vectorizer, configuration: configuration.learner)
        for round in 0...configuration.rounds {
            learner.train(vectors: labelled.map { trainVectors[$0] }, labels: answers)
            points.append(LearningCurve.Point(labelCount: labelled.count, accuracy: accuracy(of: learner)))
            guard round < configuration.rounds else { break }
            let pool = (0..<train.count).filter { !isLabelled[$0] }
            guard !pool.isEmpty else { break }
            let poolVectors = pool.map { trainVectors[$0] }
            let probabilities = learner.probabilities(for: poolVectors)
            let ranking = selector.rank(learnerProbabilities: probabilities, vectors: poolVectors,
                                        labelledVectors: labelled.map { trainVectors[$0] },
                                        seed: seed &* 1_000_003 &+ UInt64(round))
            for position in ranking.prefix(configuration.batchSize) { annotate(pool[position]) }
        }
        return LearningCurve(seed: seed, points: points)
    }

    private func accuracy(of learner: TaskLearner) -> Double {
        guard !test.labels.isEmpty else { return 0 }
        let predicted = learner.probabilities(for: testVectors).predictedLabels
        let correct = zip(predicted, test.labels).filter { $0 == $1 }.count
        return Double(correct) / Double(test.labels.count)
    }
}
