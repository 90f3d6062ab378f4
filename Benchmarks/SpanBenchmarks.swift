import AnnottyCore
import Foundation

/// The span learner on CoNLL-2003 English (../shared/datasets/conll2003 relative to the current
/// folder, or the folder given as the first argument).
enum SpanBenchmarks {
    static let types = ["LOC", "MISC", "ORG", "PER"]

    static func load(_ arguments: [String]) throws -> (train: [SpanItem], test: [SpanItem]) {
        let folder = URL(fileURLWithPath: arguments.first ?? "../shared/datasets/conll2003")
        let train = folder.appendingPathComponent("eng.train").path
        guard FileManager.default.fileExists(atPath: train) else {
            throw BenchmarkError("eng.train not found in \(folder.standardizedFileURL.path); pass its folder as an argument")
        }
        return (try CoNLLReader().read(path: train),
                try CoNLLReader().read(path: folder.appendingPathComponent("eng.testb").path))
    }

    static func score(_ learner: SpanLearner, on test: [SpanItem]) -> EntityF1 {
        var score = EntityF1()
        for item in test {
            score.add(gold: item.spans.map(\.key), predicted: learner.predict(item).spans.map(\.key))
        }
        return score
    }

    /// `spans-learner [FOLDER]`: train on all of eng.train, score exact-match entity F1 on eng.testb.
    static func learner(_ arguments: [String]) throws {
        let (train, test) = try load(arguments)
        let start = DispatchTime.now().uptimeNanoseconds
        let learner = SpanLearner.train(on: train, types: types)
        let trainSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let scored = DispatchTime.now().uptimeNanoseconds
        let score = score(learner, on: test)
        let decodeSeconds = Double(DispatchTime.now().uptimeNanoseconds - scored) / 1e9
        print(String(format: "trained on %d sentences in %.1f s; eng.testb (%d sentences, %.2f ms each): "
                     + "precision %.4f recall %.4f F1 %.4f",
                     train.count, trainSeconds, test.count, decodeSeconds * 1000 / Double(test.count),
                     score.precision, score.recall, score.f1))
    }

    /// `spans-active-learning [FOLDER] [SEEDS]`: margin vs random, 25 to 1,000 sentences of eng.train,
    /// entity F1 on eng.testb at each checkpoint, mean of SEEDS runs (default 3).
    static func activeLearning(_ arguments: [String]) throws {
        let (train, test) = try load(arguments)
        let seeds = arguments.count > 1 ? UInt64(arguments[1]) ?? 3 : 3
        let checkpoints = [25, 50, 100, 150, 200, 300, 400, 500, 600, 700, 800, 900, 1000]
        print("| strategy | " + checkpoints.map(String.init).joined(separator: " | ") + " | curve mean | tokens at 1,000 |")
        print("| --- |" + String(repeating: " ---: |", count: checkpoints.count + 2))
        for strategy in SpanSelectionStrategy.allCases {
            var curves: [[SpanActiveLearning.Point]] = []
            for seed in 1...seeds {
                curves.append(SpanActiveLearning.run(pool: train, test: test, types: types, strategy: strategy,
                                                     checkpoints: checkpoints, seed: seed))
            }
            let means = checkpoints.indices.map { index in
                curves.map { $0[index].f1 }.reduce(0, +) / Double(curves.count)
            }
            let curveMeans = curves.map { $0.map(\.f1).reduce(0, +) / Double(checkpoints.count) }
            let overall = curveMeans.reduce(0, +) / Double(curveMeans.count)
            let spread = sqrt(curveMeans.map { ($0 - overall) * ($0 - overall) }.reduce(0, +) / Double(max(curveMeans.count - 1, 1)))
            let tokens = curves.map { Double($0.last!.labelledTokens) }.reduce(0, +) / Double(curves.count)
            print("| \(strategy.rawValue) | " + means.map { String(format: "%.3f", $0) }.joined(separator: " | ")
                  + String(format: " | %.3f ± %.3f | %.0f |", overall, spread, tokens))
        }
    }
}
