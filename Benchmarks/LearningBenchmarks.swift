import AnnottyCore
import Foundation

/// Benchmarks for the task learner and the query selector, on TREC-6 questions from
/// ../shared/datasets/trec (relative to the current folder, or the folder given as the first argument).
enum LearningBenchmarks {
    static func loadTREC(_ arguments: [String]) throws -> (train: LabelledDataset, test: LabelledDataset) {
        let folder = URL(fileURLWithPath: arguments.first ?? "../shared/datasets/trec")
        let trainURL = folder.appendingPathComponent("TREC.train.all")
        guard FileManager.default.fileExists(atPath: trainURL.path) else {
            throw BenchmarkError("TREC files not found in \(folder.standardizedFileURL.path); pass their folder as an argument")
        }
        return (try LabelledDataset.loadTREC(from: trainURL),
                try LabelledDataset.loadTREC(from: folder.appendingPathComponent("TREC.test.all")))
    }

    /// Wall-clock seconds of each run of `body`.
    static func time(runs: Int, _ body: () -> Void) -> [Double] {
        (0..<runs).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
    }

    static func describe(_ seconds: [Double]) -> String {
        let sorted = seconds.sorted()
        let median = sorted[sorted.count / 2]
        return String(format: "median %.1f ms (min %.1f, max %.1f, %d runs)",
                      median * 1000, sorted[0] * 1000, sorted[sorted.count - 1] * 1000, seconds.count)
    }

    /// `learner-train`: train the learner on 5,000 TREC labels (features already extracted).
    static func train(_ arguments: [String]) throws {
        let (train, test) = try loadTREC(arguments)
        let vectorizer = TextVectorizer(fittingTexts: train.texts)
        var vectors: [SparseVector] = []
        let vectorizeTimes = time(runs: 3) { vectors = vectorizer.vectors(for: train.texts) }
        print("feature extraction, \(train.count) texts: " + describe(vectorizeTimes))
        let subset = Array(0..<5000)
        let trainVectors = subset.map { vectors[$0] }, trainLabels = subset.map { train.labels[$0] }
        let testVectors = vectorizer.vectors(for: test.texts)
        for size in [500, 1000, 2000] {
            var learner = TaskLearner(labelCount: 6, vectorizer: vectorizer)
            let times = time(runs: 5) {
                learner.train(vectors: Array(trainVectors.prefix(size)), labels: Array(trainLabels.prefix(size)))
            }
            print("train on \(size) labels, default configuration: " + describe(times)
                  + " · \(learner.lastIterationCount) iterations used")
        }
        // The default configuration first, then fixed iteration caps for comparison.
        for iterations in [nil, 20, 100, 200] as [Int?] {
            let configuration = iterations.map { TaskLearner.Configuration(maximumIterations: $0, minimumIterations: $0) }
                ?? TaskLearner.Configuration()
            var learner = TaskLearner(labelCount: 6, vectorizer: vectorizer, configuration: configuration)
            let trainTimes = time(runs: 5) { learner.train(vectors: trainVectors, labels: trainLabels) }
            let predicted = learner.probabilities(for: testVectors).predictedLabels
            let accuracy = Double(zip(predicted, test.labels).filter { $0 == $1 }.count) / Double(test.count)
            let cap = iterations.map { "at most \($0) L-BFGS iterations" } ?? "default configuration"
            print("train on 5,000 labels, \(cap): " + describe(trainTimes)
                  + String(format: " · %d iterations used · test accuracy %.3f", learner.lastIterationCount, accuracy))
        }

    }

    /// `learner-rank`: predict and re-rank 100,000 unlabelled items with the default strategy.
    /// The pool is 100,000 synthetic questions of 6 to 14 words drawn from the TREC training
    /// questions' words (seeded), so every item is distinct and of realistic length.
    static func rank(_ arguments: [String]) throws {
        let (train, _) = try loadTREC(arguments)
        var generator = SeededGenerator(seed: 42)
        let words = train.texts.flatMap { $0.split(separator: " ").map(String.init) }
        let texts = (0..<100_000).map { _ in
            (0..<Int.random(in: 6...14, using: &generator)).map { _ in words[Int.random(in: 0..<words.count, using: &generator)] }
                .joined(separator: " ")
        }
        let vectorizer = TextVectorizer(fittingTexts: texts)
        var pool: [SparseVector] = []
        print("feature extraction, 100,000 texts: " + describe(time(runs: 1) { pool = vectorizer.vectors(for: texts) }))
        let averageNonZeros = Double(pool.map(\.nonZeroCount).reduce(0, +)) / Double(pool.count)
        print(String(format: "  %.0f non-zero features per item on average", averageNonZeros))

        let labelled = Array(0..<1000)
        var learner = TaskLearner(labelCount: 6, vectorizer: vectorizer)
        learner.train(texts: labelled.map { train.texts[$0] }, labels: labelled.map { train.labels[$0] })
        let labelledVectors = labelled.map { vectorizer.vector(for: train.texts[$0]) }
        var probabilities = ProbabilityMatrix(rowCount: 0, columnCount: 6, values: [])
        print("predict 100,000 items: " + describe(time(runs: 5) { probabilities = learner.probabilities(for: pool) }))

        for (name, strategy) in [("default (hybrid)", SelectionStrategy.default), ("margin", .margin),
                                 ("random", .random)] {
            let selector = QuerySelector(strategy: strategy)
            var order: [Int] = []
            let times = time(runs: 7) {
                order = selector.rank(learnerProbabilities: probabilities, vectors: pool, labelledVectors: labelledVectors, seed: 1)
            }
            precondition(order.count == pool.count, "rank must return every item")
            print("rank 100,000 items, \(name): " + describe(times))
        }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
