/// How the span selector picks the next sentences to label.
public enum SpanSelectionStrategy: String, Sendable, CaseIterable {
    /// Smallest margin between the learner's best and second-best tag sequences first.
    case margin
    /// Uniformly at random (the baseline a selector must beat).
    case random
}

/// A simulated active-learning run for the spans task: a pool with known spans stands in for
/// the annotator; at each checkpoint the learner is trained from zero on what is labelled and
/// scored (exact-match entity F1) on a test set, then the strategy picks sentences up to the
/// next checkpoint. The first checkpoint's sentences are drawn at random for every strategy.
public enum SpanActiveLearning {
    public struct Point: Sendable, Equatable {
        public var labelledSentences: Int
        public var labelledTokens: Int
        public var f1: Double
    }

    public static func run(
        pool: [SpanItem], test: [SpanItem], types: [String], strategy: SpanSelectionStrategy,
        checkpoints: [Int], seed: UInt64, options: SpanLearner.Options = SpanLearner.Options(epochs: 5)
    ) -> [Point] {
        let encoder = SpanLearner(types: types, options: SpanLearner.Options(featureBuckets: 1))
        let features = SpanFeatures(bucketCount: options.featureBuckets)
        let encodedPool = pool.map {
            SpanLearner.EncodedSentence(features: features.extract($0.tokens.map(\.text)),
                                        tags: encoder.tagSet.tags(of: $0))
        }
        let encodedTest = test.map {
            SpanLearner.EncodedSentence(features: features.extract($0.tokens.map(\.text)), tags: [])
        }
        var generator = SeededGenerator(seed: seed)
        var unlabelled = generator.shuffled(Array(pool.indices))
        var labelled: [Int] = []
        var points: [Point] = []
        for checkpoint in checkpoints {
            let wanted = min(checkpoint, pool.count) - labelled.count
            if wanted > 0 {
                if labelled.isEmpty || strategy == .random {
                    labelled += unlabelled.prefix(wanted)
                    unlabelled.removeFirst(wanted)
                } else {
                    var learner = SpanLearner(types: types, options: options)
                    learner.train(labelled.map { encodedPool[$0] }, options: options)
                    let margins = unlabelled.map { learner.margin(encodedPool[$0]) }
                    let order = unlabelled.indices.sorted { margins[$0] < margins[$1] }
                    let chosen = Set(order.prefix(wanted))
                    labelled += order.prefix(wanted).map { unlabelled[$0] }
                    unlabelled = unlabelled.indices.filter { !chosen.contains($0) }.map { unlabelled[$0] }
                }
            }
            var learner = SpanLearner(types: types, options: options)
            learner.train(labelled.map { encodedPool[$0] }, options: options)
            var score = EntityF1()
            for (item, sentence) in zip(test, encodedTest) {
                score.add(gold: item.spans.map(\.key), predicted: learner.predict(sentence, in: item).spans.map(\.key))
            }
            points.append(Point(labelledSentences: labelled.count,
                                labelledTokens: labelled.reduce(0) { $0 + pool[$1].tokens.count }, f1: score.f1))
        }
        return points
    }
}
