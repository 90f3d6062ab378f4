import ArgumentParser
import AnnottyCore
import Foundation
import Synchronization

/// `annotty simulate --task multi`: the one-vs-rest learner's learning curve on data with gold sets.
extension SimulateCommand {
    static let defaultMultiLabelFolder = "Tests/AnnottyCoreTests/Fixtures/goemotions-ekman"

    /// The multi-label selectors by name, in the order `all` lists them.
    static let multiLabelSelectors: [(name: String, selector: MultiLabelQuerySelector)] = [
        ("random", .random),
        ("max-entropy", .default),
        ("mean-entropy", MultiLabelQuerySelector(measure: .meanEntropy)),
        ("max-entropy-top-k", MultiLabelQuerySelector(measure: .maxEntropy, strategy: .margin)),
    ]

    func runMultiLabel() throws {
        guard errorRate == 0 else { throw SimulateError("--error-rate is not simulated for --task multi") }
        let (pool, testSet) = try loadMultiLabelData()
        let chosen = try multiLabelSelectors()
        var configuration = MultiLabelSimulator.Configuration(seedSize: seedSize, rounds: rounds, batchSize: batch)
        if let regularization { configuration.learner.inverseRegularization = regularization }
        let simulator = MultiLabelSimulator(train: pool, test: testSet, configuration: configuration)

        let multiLabelled = pool.labelSets.filter { $0.count >= 2 }.count
        print("pool \(pool.count) (\(multiLabelled) with two or more labels) · test \(testSet.count) · labels "
              + pool.labelNames.joined(separator: " "))
        let full = simulator.fullTrainingScores()
        print(String(format: "learner on the whole pool: micro F1 %.3f, macro F1 %.3f, exact match %.3f",
                     full.microF1, full.macroF1, full.subsetAccuracy))
        print("\(seeds) seeds · \(seedSize) seed items + \(rounds) rounds of \(batch) · scores at the 0.5 cut-off per label")

        let runs = chosen.flatMap { named in (1...seeds).map { (named.selector, UInt64($0)) } }
        let results = Mutex([[MultiLabelSimulator.Point]?](repeating: nil, count: runs.count))
        let next = Mutex(0)
        let workers = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        DispatchQueue.concurrentPerform(iterations: min(workers, runs.count)) { _ in
            while true {
                let index: Int = next.withLock { value in
                    defer { value += 1 }
                    return value
                }
                guard index < runs.count else { return }
                let points = simulator.run(selector: runs[index].0, seed: runs[index].1)
                results.withLock { $0[index] = points }
            }
        }
        let curves = results.withLock { $0.compactMap { $0 } }
        let report = MultiLabelCurveTable(names: chosen.map(\.name), curves: curves, seeds: seeds)
        print("")
        print(report.summaryTable())
        print("")
        print(report.checkpointTable())
    }

    private func multiLabelSelectors() throws -> [(name: String, selector: MultiLabelQuerySelector)] {
        // "all", the option's default, compares the default selector with random; the others on request.
        let names = strategies == "all" ? ["random", "max-entropy"]
            : strategies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return try names.map { name in
            guard let found = Self.multiLabelSelectors.first(where: { $0.name == name }) else {
                throw ValidationError("unknown multi-label strategy \"\(name)\"; choose from "
                                      + Self.multiLabelSelectors.map(\.name).joined(separator: ", "))
            }
            return found
        }
    }

    /// A GoEmotions-style folder (labels.txt, dev.tsv as the pool, test.tsv as the test set; the
    /// fixture by default), or JSON Lines with "text" and "labels" (a list of names) and a --test
    /// file or a --test-fraction split.
    private func loadMultiLabelData() throws -> (MultiLabelDataset, MultiLabelDataset) {
        let path = train == Self.defaultTrain ? Self.defaultMultiLabelFolder : train
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw SimulateError("""
                multi-label data not found: \(URL(fileURLWithPath: path).standardizedFileURL.path)
                The default is the GoEmotions (Ekman) fixture in \(Self.defaultMultiLabelFolder), relative to the \
                current folder; run from the repository root, or pass --train (a folder with labels.txt, dev.tsv \
                and test.tsv, or a .jsonl file with "text" and "labels").
                """)
        }
        if isFolder.boolValue {
            let folder = URL(fileURLWithPath: path)
            return (try MultiLabelDataset.loadGoEmotionsFolder(folder, split: "dev"),
                    try MultiLabelDataset.loadGoEmotionsFolder(folder, split: "test"))
        }
        let whole = MultiLabelDataset(records: try MultiLabelJSONL.read(try contents(path), file: path))
        guard whole.count >= 2, !whole.labelNames.isEmpty else {
            throw SimulateError("\(path) has \(whole.count) answered items and \(whole.labelNames.count) labels: "
                                + "a simulation needs items with \"labels\" lists naming at least one label")
        }
        if let test {
            let records = try MultiLabelJSONL.read(try contents(test), file: test, labelNames: whole.labelNames)
            return (whole, MultiLabelDataset(records: records, labelNames: whole.labelNames))
        }
        let parts = whole.split(testFraction: testFraction, seed: 2024)
        return (parts.train, parts.test)
    }

    private func contents(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw SimulateError("cannot read \(path) as UTF-8 text")
        }
        return text
    }
}
