import ArgumentParser
import AnnottyCore
import Foundation
import Synchronization

/// `annotty simulate`: replays active learning offline against gold labels and prints learning curves.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Compare query strategies offline by replaying the labelling loop against gold labels.",
        discussion: """
        Each run starts from random seed labels, then repeats: train the task learner, let the \
        strategy pick a batch from the unlabelled pool, and label it with the gold answer (or a wrong \
        one at --error-rate). Test accuracy after every retraining forms the learning curve. Curves \
        are averaged over --seeds runs; every strategy gets the same seed labels in a given run.

        By default it uses TREC-6 question classification from ../shared/datasets/trec. Your own data \
        works too: JSON Lines with a "text" and a "label" on each line, with a --test file or a \
        --test-fraction split.

        Strategies: random, least-confidence, margin, entropy, diversity, hybrid (the default in \
        annotty), disagreement. The disagreement strategy compares the LLM's probabilities with the \
        learner's; a simulation has no LLM, so it is left out unless you name it, and then it scores by \
        the learner's uncertainty alone.

        Examples:
          annotty simulate
          annotty simulate --strategies random,hybrid --seeds 10
          annotty simulate --train reviews.jsonl --test-fraction 0.2 --batch 50

        With --task spans it simulates entity-span annotation instead: CoNLL files (by default \
        CoNLL-2003 eng.train and eng.testb from ../shared/datasets/conll2003), the span learner, \
        entity F1 on the test file, and the strategies margin (the default) and random.
          annotty simulate --task spans --seeds 3 --batch 75 --rounds 13

        With --task multi it simulates multi-label annotation: by default the GoEmotions (Ekman) \
        fixture in Tests/AnnottyCoreTests/Fixtures/goemotions-ekman (dev.tsv the pool, test.tsv \
        the test set), or --train FOLDER of the same layout, or --train FILE.jsonl with "text" and \
        "labels" (a list of names) and --test or --test-fraction. The one-vs-rest learner, micro \
        and macro F1 at the 0.5 cut-off; strategies random and max-entropy (the default selector) \
        unless named: random, max-entropy, mean-entropy, max-entropy-top-k.
          annotty simulate --task multi --seeds 3 --seed-size 50 --rounds 10 --batch 50
        """
    )

    @Option(help: ArgumentHelp("Training pool: \"<label> <text>\" lines (labels read from the file) or a .jsonl file.",
                               valueName: "path"))
    var train: String = SimulateCommand.defaultTrain

    static let defaultTrain = "../shared/datasets/trec/TREC.train.all"

    @Option(help: ArgumentHelp("What is annotated: classify (a label per item), spans (entities, from CoNLL files) or multi (a set of labels per item).",
                               valueName: "kind"))
    var task: SimulatedTask = .classify

    @Option(help: ArgumentHelp("Test file in the same format. Defaults to TREC.test.all beside the default training file; for other training files, leave it out to split with --test-fraction.",
                               valueName: "path"))
    var test: String?

    @Option(help: ArgumentHelp("Share of the training file held out for testing when there is no --test file.", valueName: "fraction"))
    var testFraction: Double = 0.2

    @Option(help: ArgumentHelp("Comma-separated strategies to compare, or \"all\" (every strategy but disagreement).",
                               valueName: "names"))
    var strategies: String = "all"

    @Option(help: "Number of runs (seeds) to average over.")
    var seeds: Int = 5

    @Option(help: "Random labels to start from.")
    var seedSize: Int = 25

    @Option(help: "Rounds of selection after the seed labels.")
    var rounds: Int = 20

    @Option(help: "Items labelled per round.")
    var batch: Int = 25

    @Option(help: ArgumentHelp("Chance that the simulated person answers wrongly (0 to 1).", valueName: "rate"))
    var errorRate: Double = 0

    @Option(help: ArgumentHelp("Learner's inverse regularisation C (larger fits the labels more closely).", valueName: "C"))
    var regularization: Double?

    @Option(help: ArgumentHelp("Character n-gram lengths as MIN-MAX (e.g. 2-4), or \"none\".", valueName: "range"))
    var characterNgrams: String?

    @Flag(help: "Weight the learner's training examples so every label counts equally.")
    var balanceClasses = false

    @Option(help: ArgumentHelp("Hybrid: weight of uncertainty.", valueName: "weight"))
    var uncertaintyWeight: Double?
    @Option(help: ArgumentHelp("Hybrid: weight of density (typical items first).", valueName: "weight"))
    var densityWeight: Double?
    @Option(help: ArgumentHelp("Hybrid: weight of distance to earlier picks in the batch.", valueName: "weight"))
    var diversityWeight: Double?
    @Option(help: ArgumentHelp("Hybrid: leave out items at least this cosine-similar to an earlier pick.", valueName: "similarity"))
    var duplicateSimilarity: Double?
    @Flag(help: "Hybrid: diversity also counts distance to labelled items, not only to earlier picks.")
    var diversityIncludesLabelled = false
    @Option(help: ArgumentHelp("Hybrid: share of each batch picked at random.", valueName: "fraction"))
    var randomShare: Double?
    @Option(help: ArgumentHelp("Hybrid: uncertainty measure (least-confidence, margin, entropy).", valueName: "measure"))
    var measure: String?
    @Option(help: ArgumentHelp("Hybrid: candidates considered per batch slot.", valueName: "count"))
    var candidateMultiplier: Int?

    @Option(help: "Parallel runs (default: the number of processor cores).")
    var jobs: Int?

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
        guard seedSize >= 1, rounds >= 0, batch >= 1 else {
            throw ValidationError("--seed-size and --batch must be at least 1 and --rounds at least 0")
        }
        guard (0...1).contains(errorRate) else { throw ValidationError("--error-rate must be between 0 and 1") }
        guard testFraction > 0, testFraction < 1 else { throw ValidationError("--test-fraction must be between 0 and 1") }
    }

    func run() throws {
        if task == .spans { return try runSpans() }
        if task == .multi { return try runMultiLabel() }
        let (trainSet, testSet) = try loadData()
        let chosen = try selectedStrategies()
        var configuration = ActiveLearningSimulator.Configuration(seedSize: seedSize, rounds: rounds, batchSize: batch,
                                                                  annotatorErrorRate: errorRate)
        if let regularization { configuration.learner.inverseRegularization = regularization }
        if balanceClasses { configuration.learner.balanceClasses = true }
        if let characterNgrams {
            if characterNgrams == "none" {
                configuration.vectorizer.characterNGrams = nil
            } else {
                let bounds = characterNgrams.split(separator: "-").compactMap { Int($0) }
                guard bounds.count == 2, bounds[0] >= 1, bounds[0] <= bounds[1] else {
                    throw ValidationError("--character-ngrams takes MIN-MAX, such as 2-4, or none")
                }
                configuration.vectorizer.characterNGrams = bounds[0]...bounds[1]
            }
        }
        let simulator = ActiveLearningSimulator(train: trainSet, test: testSet, configuration: configuration)

        print("train \(trainSet.count) · test \(testSet.count) · labels \(trainSet.labelNames.joined(separator: " "))")
        print(String(format: "learner on the whole training set: accuracy %.3f", simulator.fullTrainingAccuracy()))
        print("\(seeds) seeds · \(seedSize) seed labels + \(rounds) rounds of \(batch)"
              + (errorRate > 0 ? String(format: " · annotator error %.0f%%", errorRate * 100) : ""))

        let jobs = chosen.flatMap { strategy in (0..<seeds).map { (strategy, UInt64($0 + 1)) } }
        let results = Mutex([LearningCurve?](repeating: nil, count: jobs.count))
        let workers = max(1, self.jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let next = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: min(workers, jobs.count)) { _ in
            while true {
                let index: Int = next.withLock { value in
                    defer { value += 1 }
                    return value
                }
                guard index < jobs.count else { return }
                let curve = simulator.run(strategy: jobs[index].0.strategy, seed: jobs[index].1)
                results.withLock { $0[index] = curve }
            }
        }
        let curves = results.withLock { $0.compactMap { $0 } }
        let summaries = chosen.enumerated().map { s, named in
            LearningCurveSummary(name: named.name, curves: Array(curves[(s * seeds)..<((s + 1) * seeds)]))
        }
        print("")
        print(LearningCurveReport.table(summaries))
        print("")
        print(LearningCurveReport.chart(summaries))
    }

    private func selectedStrategies() throws -> [(name: String, strategy: SelectionStrategy)] {
        let names = strategies == "all"
            ? SelectionStrategy.presets.map(\.name).filter { $0 != "disagreement" }
            : strategies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return try names.map { name in
            guard var preset = SelectionStrategy.presets.first(where: { $0.name == name }) else {
                throw ValidationError("unknown strategy \"\(name)\"; choose from "
                                      + SelectionStrategy.presets.map(\.name).joined(separator: ", "))
            }
            if preset.strategy.method == .hybrid || preset.strategy.method == .disagreement {
                try applyOverrides(to: &preset.strategy)
            }
            return preset
        }
    }

    private func applyOverrides(to strategy: inout SelectionStrategy) throws {
        if let uncertaintyWeight { strategy.uncertaintyWeight = uncertaintyWeight }
        if let densityWeight { strategy.densityWeight = densityWeight }
        if let diversityWeight { strategy.diversityWeight = diversityWeight }
        if let randomShare { strategy.randomShare = randomShare }
        if let duplicateSimilarity { strategy.duplicateSimilarity = duplicateSimilarity }
        if diversityIncludesLabelled { strategy.includeLabelledInDiversity = true }
        if let candidateMultiplier { strategy.candidateMultiplier = candidateMultiplier }
        if let measure {
            let byName: [String: UncertaintyMeasure] = ["least-confidence": .leastConfidence, "margin": .margin,
                                                        "entropy": .entropy]
            guard let parsed = byName[measure] else {
                throw ValidationError("unknown measure \"\(measure)\"; choose least-confidence, margin or entropy")
            }
            strategy.uncertaintyMeasure = parsed
        }
    }

    private func loadData() throws -> (LabelledDataset, LabelledDataset) {
        let trainURL = URL(fileURLWithPath: train)
        guard FileManager.default.fileExists(atPath: trainURL.path) else {
            throw SimulateError("""
                training file not found: \(trainURL.standardizedFileURL.path)
                The default is the TREC-6 data in ../shared/datasets/trec, relative to the current folder; \
                run from the repository root beside shared/, or pass --train (and --test).
                """)
        }
        let isJSONL = trainURL.pathExtension.lowercased() == "jsonl"
        func load(_ url: URL, labelNames: [String]?) throws -> LabelledDataset {
            let dataset = isJSONL ? try LabelledDataset.loadJSONL(from: url, labelNames: labelNames)
                : try LabelledDataset.loadLabelledLines(from: url, labelNames: labelNames)
            for warning in dataset.warnings { printError("warning: \(warning)") }
            return dataset
        }
        // Label names come from the file; TREC.* files with labels 0-5 get TREC-6's names.
        func named(_ dataset: LabelledDataset) -> LabelledDataset { dataset.namingTREC(fileName: trainURL.lastPathComponent) }
        let trainSet = try load(trainURL, labelNames: nil)
        var testPath = test
        if testPath == nil, !isJSONL {
            let sibling = trainURL.deletingLastPathComponent().appendingPathComponent("TREC.test.all")
            if trainURL.lastPathComponent == "TREC.train.all" { testPath = sibling.path }
        }
        if let testPath {
            guard FileManager.default.fileExists(atPath: testPath) else {
                throw SimulateError("test file not found: \(URL(fileURLWithPath: testPath).standardizedFileURL.path)")
            }
            return (named(trainSet), named(try load(URL(fileURLWithPath: testPath), labelNames: trainSet.labelNames)))
        }
        let parts = trainSet.split(testFraction: testFraction, seed: 2024)
        return (named(parts.train), named(parts.test))
    }
}

/// A failure worth a plain message, without the usage text ArgumentParser adds to validation errors.
struct SimulateError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
