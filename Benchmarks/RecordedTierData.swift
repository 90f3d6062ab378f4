import AnnottyCore
import Foundation

/// Items with gold labels, their texts and the strong tier's recorded probabilities
/// (../shared/datasets/recorded): the 1,246 TREC-6 questions (train1000 + test250) and the 300
/// sample reviews. Gold and label order come from the recorded files. The reviews keep their other
/// columns (product, stars) as metadata, as `annotty import` does.
struct RecordedTierData {
    let name: String
    let labels: LabelSet
    let items: [Item]
    let gold: [Int]
    let strong: [[Double]]

    var count: Int { gold.count }

    /// `datasets`: the shared datasets folder; `sampleData`: the repository's sample-data folder.
    static func trec(datasets: String) throws -> RecordedTierData {
        let train = try lines(datasets + "/trec/TREC.train.all")
        let test = try lines(datasets + "/trec/TREC.test.all")
        let first = try PredictionFixture(path: datasets + "/recorded/qwen2.5-coder-1.5b-trec-train1000.jsonl")
        let second = try PredictionFixture(path: datasets + "/recorded/qwen2.5-coder-1.5b-trec-test250.jsonl")
        guard first.labels == second.labels else { throw BenchmarkError("the two TREC recordings have different label sets") }
        var texts: [String] = [], gold: [Int] = [], strong: [[Double]] = []
        for (fixture, source, prefix) in [(first, train, "tr"), (second, test, "t")] {
            for (id, item) in zip(fixture.ids, fixture.cases) {
                guard id.hasPrefix(prefix), let line = Int(id.dropFirst(prefix.count)), source.indices.contains(line) else {
                    throw BenchmarkError("unexpected id \(id)")
                }
                // "<label> <question>": the question text is what the learner sees.
                let parts = source[line].split(separator: " ", maxSplits: 1)
                texts.append(parts.count == 2 ? String(parts[1]) : source[line])
                gold.append(item.gold)
                strong.append(item.probabilities)
            }
        }
        return RecordedTierData(name: "TREC-6 (\(gold.count) questions)", labels: first.labels, items: texts.map { Item(text: $0) },
                                gold: gold, strong: strong)
    }

    static func reviews(datasets: String, sampleData: String) throws -> RecordedTierData {
        let fixture = try PredictionFixture(path: datasets + "/recorded/qwen2.5-coder-1.5b-reviews.jsonl")
        var itemById: [String: Item] = [:]
        for line in try lines(sampleData + "/reviews.jsonl") {
            let value = try JSONParser.parse(line)
            guard let id = value["id"]?.plainText, let text = value["text"]?.stringValue else { continue }
            itemById[id] = Item(text: text, metadataJSON: Item.metadataJSON(columns: value.objectMembers ?? [],
                                                                            excluding: ["id", "text"]))
        }
        var items: [Item] = []
        for id in fixture.ids {
            guard let item = itemById[id] else { throw BenchmarkError("no text for review \(id)") }
            items.append(item)
        }
        return RecordedTierData(name: "sample reviews (\(fixture.cases.count))", labels: fixture.labels, items: items,
                                gold: fixture.cases.map(\.gold), strong: fixture.cases.map(\.probabilities))
    }

    static func lines(_ path: String) throws -> [String] {
        guard let contents = FileManager.default.contents(atPath: path) else { throw BenchmarkError("cannot read \(path)") }
        return String(decoding: contents, as: UTF8.self).split(separator: "\n").map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    static func argmax(_ values: [Double]) -> Int {
        values.indices.max { values[$0] != values[$1] ? values[$0] < values[$1] : $0 > $1 } ?? 0
    }
}
