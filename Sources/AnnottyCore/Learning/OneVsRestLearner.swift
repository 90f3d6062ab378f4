/// The task learner for multi-label items: one binary `TaskLearner` per label ("in" against "out"),
/// all over the same `TextVectorizer` features. Each label gets its own probability of being in the
/// item's set; the probabilities of an item need not sum to 1.
public struct OneVsRestLearner: Sendable {
    public let labelCount: Int
    public let vectorizer: TextVectorizer
    public let configuration: TaskLearner.Configuration
    private var learners: [TaskLearner]
    /// Number of labelled items in the last training; 0 means untrained (every probability 0.5).
    public private(set) var trainingExampleCount: Int

    /// Class balancing is on by default: most labels are "out" on most items, and without it a
    /// rare label's probability rarely reaches 0.5 while few items are labelled.
    public init(labelCount: Int, vectorizer: TextVectorizer = TextVectorizer(),
                configuration: TaskLearner.Configuration = TaskLearner.Configuration(balanceClasses: true)) {
        precondition(labelCount >= 1, "a task needs at least one label")
        self.labelCount = labelCount
        self.vectorizer = vectorizer
        self.configuration = configuration
        learners = (0..<labelCount).map { _ in TaskLearner(labelCount: 2, vectorizer: vectorizer, configuration: configuration) }
        trainingExampleCount = 0
    }

    /// Trains from scratch on texts and the set of label indices each was given; indices outside
    /// `0..<labelCount` are ignored.
    public mutating func train(texts: [String], labelSets: [Set<Int>]) {
        train(vectors: vectorizer.vectors(for: texts), labelSets: labelSets)
    }

    public mutating func train(vectors: [SparseVector], labelSets: [Set<Int>]) {
        precondition(vectors.count == labelSets.count, "one label set per vector")
        trainingExampleCount = vectors.count
        for label in 0..<labelCount {
            learners[label].train(vectors: vectors, labels: labelSets.map { $0.contains(label) ? 1 : 0 })
        }
    }

    /// Per label, the probability that it is in the set of the item with this vector.
    public func inProbabilities(for vector: SparseVector) -> [Double] {
        learners.map { $0.probabilities(for: vector)[1] }
    }

    public func inProbabilities(for text: String) -> [Double] {
        inProbabilities(for: vectorizer.vector(for: text))
    }

    /// One row per vector, one column per label: P(label in the item's set).
    public func inProbabilities(for vectors: [SparseVector]) -> ProbabilityMatrix {
        let perLabel = learners.map { $0.probabilities(for: vectors) }
        var values = [Double](repeating: 0, count: vectors.count * labelCount)
        for row in 0..<vectors.count {
            for label in 0..<labelCount { values[row * labelCount + label] = perLabel[label].values[row * 2 + 1] }
        }
        return ProbabilityMatrix(rowCount: vectors.count, columnCount: labelCount, values: values)
    }
}
