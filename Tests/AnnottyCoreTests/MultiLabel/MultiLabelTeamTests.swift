import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// `stats --agreement` and `aggregate` on a multi-label project: people's sets read from a real
/// store, the figures the hand-checked metrics give, aggregates stored where export reads them.
@Suite("Multi-label team figures")
struct MultiLabelTeamTests {
    let labels = LabelSet(names: ["a", "b", "c"])

    /// One store item per column; `sets[person][item]`, nil where that person did not answer.
    func makeStore(_ dir: TemporaryDirectory, sets: [[Set<String>?]], gold: [Set<String>]? = nil,
                   adjudications: [Int64: Set<String>] = [:]) throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"), overlapPolicy: OverlapPolicy(overlap: 3, maxOverlap: 3))
        let count = sets.map(\.count).max() ?? 0
        _ = try store.importItems { sink in
            for index in 0..<count {
                try sink.add(ImportRecord(externalId: "i\(index + 1)", text: "item \(index + 1)",
                                          goldLabel: gold.map { MultiLabelAnswer($0[index], labels: labels).encoded }))
            }
        }
        for (person, row) in sets.enumerated() {
            for (index, set) in row.enumerated() {
                guard let set else { continue }
                try store.recordDecision(Decision(itemId: Int64(index + 1), annotator: "p\(person)", kind: .correct,
                                                  label: MultiLabelAnswer(set, labels: labels).encoded))
            }
        }
        for (itemId, set) in adjudications {
            try store.recordDecision(Decision(itemId: itemId, annotator: "lead", kind: .adjudicate,
                                              label: MultiLabelAnswer(set, labels: labels).encoded))
        }
        return store
    }

    /// The hand-computed vectors of `MultiLabelAgreementTests.perLabelCohen`, now as two people's
    /// decisions: κ per label 1, 1/3 and undefined; an adjudication is not a rating and changes nothing.
    @Test("Per-label Cohen's kappa and set alpha from two people's decisions")
    func twoPeople() throws {
        let dir = try TemporaryDirectory()
        let first: [Set<String>?] = [["a", "b"], ["a", "b"], ["b"], [], ["a"], []]
        let second: [Set<String>?] = [["a", "b"], ["a", "b"], [], [], ["a"], ["b"]]
        let store = try makeStore(dir, sets: [first, second], adjudications: [3: ["b"]])
        let report = try MultiLabelAgreementReport(store: store, labels: labels)
        #expect(report.itemCount == 6 && report.annotatorCount == 2 && report.answerCount == 12)
        let pair = try #require(report.pairs.first)
        #expect(pair.first == "p0" && pair.second == "p1" && pair.sharedItems == 6)
        #expect(pair.kappas[0] == 1)
        #expect(abs(pair.kappas[1] - 1.0 / 3.0) < 1e-12)
        #expect(pair.kappas[2].isNaN)
        #expect(abs(pair.sameSet - 4.0 / 6.0) < 1e-12)
        let rows: [[Set<String>?]] = [first, second]
        #expect(abs((report.alpha[.masi] ?? .nan) - (try LabelSetAlpha.alpha(reliabilityData: rows, distance: .masi))) < 1e-12)
        #expect(abs((report.alpha[.jaccard] ?? .nan) - (try LabelSetAlpha.alpha(reliabilityData: rows, distance: .jaccard))) < 1e-12)
        let text = report.render()
        #expect(text.contains("Krippendorff's alpha, MASI distance"))
        #expect(text.contains("p0 and p1: 6 shared items, the same set on 0.667"))
        #expect(text.contains("  b" + String(repeating: " ", count: 8) + "0.333\n"))
        #expect(text.contains("  c" + String(repeating: " ", count: 12) + "—\n"))
    }

    /// `MultiLabelAgreementTests.perLabelFleiss` by hand: κ 0.55 for both labels (three raters,
    /// three items); a fourth item with only two raters is left out of Fleiss, not of alpha.
    @Test("Per-label Fleiss' kappa over the items with the most common number of raters")
    func threePeople() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir, sets: [[["a"], ["a", "b"], ["b"], ["c"]], [["a"], ["a"], ["b"], ["c"]], [["a"], [], ["b"], nil]])
        let report = try MultiLabelAgreementReport(store: store, labels: labels)
        #expect(report.fleissItems == 3 && report.fleissRaters == 3)
        let kappas = try #require(report.fleissKappas)
        #expect(abs(kappas[0] - 0.55) < 1e-12 && abs(kappas[1] - 0.55) < 1e-12)
        #expect(report.answerCount == 11)
    }

    /// Three people; per label a majority of two decides. Item 2: a in (2 of 3), b out (1 of 3).
    @Test("Majority per label into sets, stored for export, scored against gold sets")
    func majorityAggregate() throws {
        let dir = try TemporaryDirectory()
        let sets: [[Set<String>?]] = [[["a", "b"], ["a", "b"], []], [["a"], ["a"], []], [["a", "b"], ["c"], ["c"]]]
        let store = try makeStore(dir, sets: sets, gold: [["a", "b"], ["a"], ["c"]])
        let outcome = try MultiLabelAggregationRun(store: store, labels: labels).run(method: .majority)
        #expect(outcome.items == 3)
        #expect(outcome.labels.map(\.label) == [#"["a","b"]"#, #"["a"]"#, "[]"])
        #expect(abs((outcome.labels[1].posteriors["a"] ?? 0) - 2.0 / 3.0) < 1e-12)
        // Gold: item 1 and 2 exact, item 3 gold {c} against {} → exact 2/3.
        #expect(outcome.scoredItems == 3 && abs((outcome.exactMatch ?? 0) - 2.0 / 3.0) < 1e-12)
        #expect(outcome.labelCounts == [2, 1, 0] && outcome.emptySets == 1)
        #expect(try store.aggregates(method: "majority")[1]?.label == #"["a","b"]"#)

        // export --label-from aggregate-majority writes the aggregated sets.
        var exporter = MultiLabelExporter(store: store, labels: labels, labelRule: .aggregateMajority)
        exporter.textField = "text"
        let path = dir.path("out.jsonl")
        let out = try BufferedOutput(path: path)
        _ = try exporter.export(format: .jsonl, to: out)
        try out.close()
        let back = try MultiLabelJSONL.read(try String(contentsOfFile: path, encoding: .utf8), file: path, labelNames: labels.names)
        #expect(back.map(\.labelSet) == [["a", "b"], ["a"], []])
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"label_from\":\"aggregate-majority\""))
    }

    @Test("Dawid-Skene per label gives sets and in-probabilities for every item")
    func dawidSkeneAggregate() throws {
        let dir = try TemporaryDirectory()
        let sets: [[Set<String>?]] = [[["a"], ["a", "b"], ["b"], ["c"]], [["a"], ["a", "b"], ["b"], ["c"]], [["a"], ["a"], ["b"], ["c"]]]
        let store = try makeStore(dir, sets: sets)
        let outcome = try MultiLabelAggregationRun(store: store, labels: labels).run(method: .dawidSkene)
        #expect(outcome.labels.map(\.label) == [#"["a"]"#, #"["a","b"]"#, #"["b"]"#, #"["c"]"#])
        #expect(outcome.labels.allSatisfy { $0.posteriors.count == 3 })
        #expect(outcome.scores == nil)
        #expect(try store.aggregates(method: "dawid-skene").count == 4)
    }

    @Test("The simulate tables: mean ± deviation over seeds of each run's curve mean and last point")
    func curveTable() {
        func point(_ count: Int, _ micro: Double) -> (labelCount: Int, scores: MultiLabelScores) {
            (count, MultiLabelScores(microF1: micro, macroF1: micro / 2, subsetAccuracy: 0))
        }
        // Two seeds: curve means 0.3 and 0.5 → 0.400 ± 0.100; last points 0.4 and 0.6 → 0.500 ± 0.100.
        let table = MultiLabelCurveTable(names: ["random"], runs: [[point(10, 0.2), point(20, 0.4)], [point(10, 0.4), point(20, 0.6)]],
                                         seeds: 2)
        #expect(table.summaryTable().contains("| random | 0.400 ± 0.100 | 0.200 ± 0.050 | 0.500 ± 0.100 | 0.250 ± 0.050 |"))
        #expect(table.checkpointTable().contains("| random | 0.300 | 0.500 |"))
    }
}

@Suite("Multi-label datasets from records")
struct MultiLabelDatasetRecordsTests {
    @Test("Labels sorted unless given, unanswered records left out, a seeded split that keeps every item once")
    func recordsAndSplit() {
        let records = [
            MultiLabelRecord(id: "1", text: "one", labels: ["joy", "anger"]),
            MultiLabelRecord(id: "2", text: "two", labels: []),
            MultiLabelRecord(id: "3", text: "three", labels: [], isAnswered: false),
            MultiLabelRecord(id: "4", text: "four", labels: ["joy"]),
        ]
        let dataset = MultiLabelDataset(records: records)
        #expect(dataset.labelNames == ["anger", "joy"])
        #expect(dataset.texts == ["one", "two", "four"])
        #expect(dataset.labelSets == [[0, 1], [], [1]])
        let given = MultiLabelDataset(records: records, labelNames: ["joy", "anger", "fear"])
        #expect(given.labelSets == [[0, 1], [], [0]])
        let parts = dataset.split(testFraction: 0.34, seed: 7)
        #expect(parts.test.count == 1 && parts.train.count == 2)
        #expect(Set(parts.train.texts + parts.test.texts) == Set(dataset.texts))
        #expect(dataset.split(testFraction: 0.34, seed: 7) == parts)
    }
}
