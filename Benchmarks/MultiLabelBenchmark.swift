import AnnottyCore
import Foundation

/// `multilabel-curve [FOLDER] [--seeds N] [--rounds R] [--batch B] [--seed-size S] [--pool N] [--unbalanced]`:
/// multi-label learning curves on a GoEmotions-style folder (labels.txt, dev.tsv as the pool,
/// test.tsv as the test set; default the Ekman fixture in the tests). For each selector: the mean
/// over seeds of the curve's mean micro and macro F1 (± deviation across seeds) and of the last point.
enum MultiLabelBenchmark {
    static func run(_ arguments: [String]) throws {
        var folder = "Tests/AnnottyCoreTests/Fixtures/goemotions-ekman"
        var seeds = 5, rounds = 20, batch = 50, seedSize = 50, poolSize = Int.max
        var balanceClasses = true
        var index = 0
        func value(_ name: String) throws -> Int {
            index += 1
            guard index < arguments.count, let number = Int(arguments[index]), number >= 0 else {
                throw BenchmarkError("\(name) needs a whole number")
            }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--seeds": seeds = try value("--seeds")
            case "--rounds": rounds = try value("--rounds")
            case "--batch": batch = try value("--batch")
            case "--seed-size": seedSize = try value("--seed-size")
            case "--pool": poolSize = try value("--pool")
            case "--unbalanced": balanceClasses = false
            case let other where other.hasPrefix("--"): throw BenchmarkError("unknown option \(other)")
            case let path: folder = path
            }
            index += 1
        }
        let url = URL(fileURLWithPath: folder)
        let pool = try MultiLabelDataset.loadGoEmotionsFolder(url, split: "dev")
        let test = try MultiLabelDataset.loadGoEmotionsFolder(url, split: "test")
        let train = pool.subset(Array(0..<min(poolSize, pool.count)))
        let configuration = MultiLabelSimulator.Configuration(seedSize: seedSize, rounds: rounds, batchSize: batch,
                                                              learner: .init(balanceClasses: balanceClasses))
        let simulator = MultiLabelSimulator(train: train, test: test, configuration: configuration)
        print("pool \(train.count), test \(test.count), labels \(train.labelNames.joined(separator: " ")); "
              + "seed \(seedSize), \(rounds) rounds of \(batch), \(seeds) seeds, class balancing \(balanceClasses ? "on" : "off")")
        let full = simulator.fullTrainingScores()
        print(String(format: "learner on the whole pool: micro F1 %.3f, macro F1 %.3f, exact match %.3f",
                     full.microF1, full.macroF1, full.subsetAccuracy))
        let selectors: [(String, MultiLabelQuerySelector)] = [
            ("random", .random),
            ("max-entropy (default: hybrid batch)", .default),
            ("mean-entropy (hybrid batch)", MultiLabelQuerySelector(measure: .meanEntropy)),
            ("max-entropy, plain top-k", MultiLabelQuerySelector(measure: .maxEntropy, strategy: .margin)),
        ]
        print("| selector | mean micro F1 over the curve | mean macro F1 over the curve | last micro F1 | last macro F1 |")
        print("| --- | --- | --- | --- | --- |")
        for (name, selector) in selectors {
            let start = Date()
            let runs = (0..<seeds).map { simulator.run(selector: selector, seed: UInt64($0 + 1)) }
            func summary(_ metric: KeyPath<MultiLabelScores, Double>) -> LearningCurveSummary {
                LearningCurveSummary(name: name, curves: runs.enumerated().map { seed, points in
                    LearningCurve(seed: UInt64(seed + 1),
                                  points: points.map { .init(labelCount: $0.labelCount, accuracy: $0.scores[keyPath: metric]) })
                })
            }
            let micro = summary(\.microF1), macro = summary(\.macroF1)
            print("| \(name) " + String(format: "| %.3f ± %.3f | %.3f ± %.3f | %.3f ± %.3f | %.3f ± %.3f |",
                         micro.curveMean.mean, micro.curveMean.standardDeviation, macro.curveMean.mean, macro.curveMean.standardDeviation,
                         micro.final.mean, micro.final.standardDeviation, macro.final.mean, macro.final.standardDeviation))
            let seconds = Int(Date().timeIntervalSince(start))
            let counts = micro.points.map { String($0.labelCount) }.joined(separator: ",")
            FileHandle.standardError.write(Data("\(name): \(seconds) s; labelled counts \(counts)\n".utf8))
        }
    }
}
