import AnnottyCore
import Foundation

/// `aggregate-majority [ITEMS...]`: `annotty aggregate --method majority` on synthetic crowd data
/// (three annotators per item, binary labels), timed without the store's read and write so that
/// the figure is the aggregation itself. Doubling the items should double the time.
enum AggregationBenchmark {
    static func run(_ arguments: [String]) throws {
        let sizes = arguments.compactMap { Int($0) }
        for items in sizes.isEmpty ? [10_000, 20_000, 40_000] : sizes {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-aggregate-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let store = try SQLiteStore(path: dir.appendingPathComponent("bench.sqlite").path,
                                        overlapPolicy: OverlapPolicy(overlap: 3, maxOverlap: 3))
            let labels = LabelSet(names: ["no", "yes"])
            _ = try store.importItems { sink in
                for index in 0..<items { try sink.add(ImportRecord(externalId: "item-\(index)", text: "text \(index)")) }
            }
            var generator = SeededGenerator(seed: 7)
            _ = try store.importAnnotations { sink in
                for index in 0..<items {
                    for annotator in ["a", "b", "c"] {
                        let label = generator.nextIndex(below: 2) == 0 ? "no" : "yes"
                        _ = try sink.add(externalId: "item-\(index)", annotator: annotator, label: label, goldLabel: nil)
                    }
                }
            }
            let run = AggregationRun(store: store, labels: labels)
            let times = LearningBenchmarks.time(runs: 3) { _ = try? run.run(method: .majority, save: false) }
            print("majority vote over \(items) items x 3 labels (store read included, no write): "
                  + LearningBenchmarks.describe(times))
        }
    }
}
