import AnnottyCore
import Foundation

/// `label-errors [--rate R] [--seeds N] [--C C] [--datasets DIR] [--sample-data DIR]`: flips a share of the
/// labels at random (seeded) to another label and measures how many of the flips `LabelErrorFinder`
/// flags (recall) and how many of its flags are flips (precision). The TREC-6 training set (5,452
/// questions) with the learner's 5-fold out-of-fold probabilities; the 1,246 recorded TREC-6
/// questions and the 300 sample reviews with the learner's, the strong tier's (raw, and with its
/// label bias removed by out-of-fold vector scaling on the given labels), and their means.
enum LabelErrorBenchmark {
    static func run(_ arguments: [String]) throws {
        var rate = 0.05, seeds = 3, inverseRegularization = LabelErrorFinder.defaultLearnerConfiguration.inverseRegularization
        var datasets = "../shared/datasets", sampleData = "sample-data"
        var index = 0
        while index < arguments.count {
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch arguments[index] {
            case "--rate": rate = Double(value) ?? rate
            case "--C": inverseRegularization = Double(value) ?? inverseRegularization
            case "--seeds": seeds = Int(value) ?? seeds
            case "--datasets": datasets = value
            case "--sample-data": sampleData = value
            default: throw BenchmarkError("unknown argument \(arguments[index])")
            }
            index += 2
        }
        print(String(format: "%.0f%% of labels flipped at random to another label; learner C = %g; mean over %d seeds (min–max)",
                     rate * 100, inverseRegularization, seeds))
        print("data                          opinion               method               flipped  flagged   recall            precision")
        let train = try LabelledDataset.loadTREC(from: URL(fileURLWithPath: datasets + "/trec/TREC.train.all"))
        evaluate(name: "TREC-6 train (5,452)", items: train.texts.map { Item(text: $0) }, gold: train.labels, labelCount: 6, llm: nil,
                 rate: rate, seeds: seeds, inverseRegularization: inverseRegularization)
        for data in [try RecordedTierData.trec(datasets: datasets),
                     try RecordedTierData.reviews(datasets: datasets, sampleData: sampleData)] {
            evaluate(name: data.name, items: data.items, gold: data.gold, labelCount: data.labels.count, llm: data.strong,
                     rate: rate, seeds: seeds, inverseRegularization: inverseRegularization)
        }
    }

    static func evaluate(name: String, items: [Item], gold: [Int], labelCount: Int, llm: [[Double]]?,
                         rate: Double, seeds: Int, inverseRegularization: Double) {
        // As the project's learner reads an item (`SuspectDecisions`): its text and categorical columns.
        let featurizer = ItemFeaturizer(fitting: items)
        let vectorizer = featurizer.vectorizer
        let vectors = featurizer.vectors(for: items)
        // (opinion, method) → per-seed (flipped, flagged, recall, precision)
        var rows: [String: [(Int, Int, Double, Double)]] = [:]
        var order: [String] = []
        for seed in 1...UInt64(seeds) {
            var generator = SeededGenerator(seed: seed)
            let flipCount = Int((Double(gold.count) * rate).rounded())
            let flipped = Set(generator.shuffled(Array(gold.indices)).prefix(flipCount))
            var given = gold
            for item in flipped.sorted() {
                let other = generator.nextIndex(below: labelCount - 1)
                given[item] = other >= gold[item] ? other + 1 : other
            }
            let learner = LabelErrorFinder.outOfFoldProbabilities(vectors: vectors, labels: given, labelCount: labelCount,
                                                                  vectorizer: vectorizer, seed: seed,
                                                                  configuration: TaskLearner.Configuration(inverseRegularization: inverseRegularization))
            var opinions: [(String, [[Double]])] = [("learner, out-of-fold", learner)]
            if let llm {
                let calibrated = LabelErrorFinder.outOfFoldCalibrated(llm, labels: given, seed: seed)
                opinions.append(("strong tier", llm))
                opinions.append(("strong, bias-fixed", calibrated))
                opinions.append(("mean of both", LabelErrorFinder.averaged(learner, with: llm.map { Optional($0) })))
                opinions.append(("mean, bias-fixed", LabelErrorFinder.averaged(learner, with: calibrated.map { Optional($0) })))
            }
            for (opinion, probabilities) in opinions {
                for method in LabelErrorFinder.Method.allCases {
                    let suspects = LabelErrorFinder(method: method).find(probabilities: probabilities, givenLabels: given,
                                                                         labelCount: labelCount)
                    let hits = suspects.filter { flipped.contains($0.index) }.count
                    let key = opinion.padding(toLength: 22, withPad: " ", startingAt: 0) + method.rawValue
                    if rows[key] == nil { order.append(key) }
                    rows[key, default: []].append((flipped.count, suspects.count, Double(hits) / Double(max(flipped.count, 1)),
                                                   suspects.isEmpty ? 0 : Double(hits) / Double(suspects.count)))
                }
            }
        }
        for key in order {
            let runs = rows[key]!
            func summary(_ values: [Double]) -> String {
                String(format: "%.3f (%.2f–%.2f)", values.reduce(0, +) / Double(values.count), values.min()!, values.max()!)
            }
            let flagged = Double(runs.map(\.1).reduce(0, +)) / Double(runs.count)
            print(name.padding(toLength: 30, withPad: " ", startingAt: 0) + key.padding(toLength: 42, withPad: " ", startingAt: 0)
                  + String(format: "%6d  %7.0f   ", runs[0].0, flagged) + summary(runs.map(\.2)) + "  " + summary(runs.map(\.3)))
        }
    }
}
