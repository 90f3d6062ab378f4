import ArgumentParser
import AnnottyCore
import Foundation
import Synchronization

/// The task kinds `annotty simulate` can replay.
enum SimulatedTask: String, ExpressibleByArgument, CaseIterable {
    case classify
    case spans
    case multi
}

/// `annotty simulate --task spans`: the span learner's learning curve on CoNLL files.
extension SimulateCommand {
    static let defaultSpansTrain = "../shared/datasets/conll2003/eng.train"

    func runSpans() throws {
        guard errorRate == 0 else { throw SimulateError("--error-rate is not simulated for --task spans") }
        let trainPath = train == Self.defaultTrain ? Self.defaultSpansTrain : train
        let testPath: String
        if let test {
            testPath = test
        } else if trainPath == Self.defaultSpansTrain {
            testPath = "../shared/datasets/conll2003/eng.testb"
        } else {
            throw SimulateError("--task spans needs a --test CoNLL file beside --train")
        }
        for path in [trainPath, testPath] where !FileManager.default.fileExists(atPath: path) {
            throw SimulateError("""
                CoNLL file not found: \(URL(fileURLWithPath: path).standardizedFileURL.path)
                The default is CoNLL-2003 in ../shared/datasets/conll2003, relative to the current folder; \
                run from the repository root beside shared/, or pass --train and --test.
                """)
        }
        let pool = try CoNLLReader().read(path: trainPath)
        let testItems = try CoNLLReader().read(path: testPath)
        let types = Set(pool.flatMap { $0.spans.map(\.type) }).sorted()
        let chosen = try spanStrategies()
        let checkpoints = (0...rounds).map { min(seedSize + $0 * batch, pool.count) }

        let full = SpanLearner.train(on: pool, types: types)
        var fullScore = EntityF1()
        for item in testItems {
            fullScore.add(gold: item.spans.map(\.key), predicted: full.predict(item).spans.map(\.key))
        }
        print("train \(pool.count) sentences · test \(testItems.count) · types \(types.joined(separator: " "))")
        print(String(format: "span learner on the whole training set: entity F1 %.4f (precision %.4f, recall %.4f)",
                     fullScore.f1, fullScore.precision, fullScore.recall))
        print("\(seeds) seeds · \(seedSize) random sentences + \(rounds) rounds of \(batch)")

        let runs = chosen.flatMap { strategy in (1...seeds).map { (strategy, UInt64($0)) } }
        let results = Mutex([[SpanActiveLearning.Point]?](repeating: nil, count: runs.count))
        let next = Mutex(0)
        let workers = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        DispatchQueue.concurrentPerform(iterations: min(workers, runs.count)) { _ in
            while true {
                let index: Int = next.withLock { value in
                    defer { value += 1 }
                    return value
                }
                guard index < runs.count else { return }
                let curve = SpanActiveLearning.run(pool: pool, test: testItems, types: types, strategy: runs[index].0,
                                                   checkpoints: checkpoints, seed: runs[index].1)
                results.withLock { $0[index] = curve }
            }
        }
        let curves = results.withLock { $0.compactMap { $0 } }
        print("")
        print("| strategy | " + checkpoints.map(String.init).joined(separator: " | ") + " | curve mean | tokens at the end |")
        print("| --- |" + String(repeating: " ---: |", count: checkpoints.count + 2))
        for (position, strategy) in chosen.enumerated() {
            let own = Array(curves[(position * seeds)..<((position + 1) * seeds)])
            let means = checkpoints.indices.map { index in own.map { $0[index].f1 }.reduce(0, +) / Double(seeds) }
            let curveMeans = own.map { $0.map(\.f1).reduce(0, +) / Double(checkpoints.count) }
            let overall = curveMeans.reduce(0, +) / Double(seeds)
            let tokens = own.map { Double($0.last!.labelledTokens) }.reduce(0, +) / Double(seeds)
            print("| \(strategy.rawValue) | " + means.map { String(format: "%.3f", $0) }.joined(separator: " | ")
                  + String(format: " | %.3f | %.0f |", overall, tokens))
        }
    }

    private func spanStrategies() throws -> [SpanSelectionStrategy] {
        if strategies == "all" { return SpanSelectionStrategy.allCases }
        return try strategies.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let strategy = SpanSelectionStrategy(rawValue: trimmed) else {
                throw ValidationError("unknown span strategy \"\(trimmed)\"; choose from "
                                      + SpanSelectionStrategy.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return strategy
        }
    }
}
