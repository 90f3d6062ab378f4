import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// The figures `stats` prints: the LLM against people, the accuracy estimate and what it rests on,
/// gold answers imported with the labels, and importing the same labels twice.
@Suite struct SurfaceFiguresTests {
    static let labels = LabelSet(names: ["entailment", "neutral", "contradiction", "other"])

    /// (LLM label, people's label) pairs of a hand-checked confusion matrix, rows the LLM's label:
    ///     entailment    1 2 0 0
    ///     neutral       0 0 1 0
    ///     contradiction 1 0 2 1
    ///     other         0 0 0 0
    static let pairs: [(String, String)] =
        [("entailment", "entailment"), ("entailment", "neutral"), ("entailment", "neutral"),
         ("neutral", "contradiction"),
         ("contradiction", "entailment"), ("contradiction", "contradiction"), ("contradiction", "contradiction"),
         ("contradiction", "other")]

    func storeWithPairs(_ dir: TemporaryDirectory) throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.path("pairs.sqlite"))
        _ = try store.importItems { sink in
            for index in Self.pairs.indices { try sink.add(ImportRecord(externalId: "p\(index)", text: "pair \(index)")) }
        }
        for (index, pair) in Self.pairs.enumerated() {
            let itemId = try #require(try store.itemId(externalId: "p\(index)"))
            var probabilities = Dictionary(uniqueKeysWithValues: Self.labels.names.map { ($0, 0.1) })
            probabilities[pair.0] = 0.7
            _ = try store.savePrediction(Prediction(itemId: itemId, model: "m", label: pair.0, probabilities: probabilities))
            try store.recordDecision(Decision(itemId: itemId, annotator: "ann", kind: pair.0 == pair.1 ? .accept : .correct,
                                              label: pair.1, shownLabel: pair.0, shownConfidence: 0.7, shownSource: .llm))
        }
        return store
    }

    @Test func llmPerLabelPrecisionDividesByWhatTheLLMSaidAndRecallByWhatPeopleSaid() throws {
        let dir = try TemporaryDirectory()
        let report = try AgreementReport(store: try storeWithPairs(dir), labels: Self.labels)
        let model = try #require(report.model)
        #expect(model.confusion.counts == [[1, 2, 0, 0], [0, 0, 1, 0], [1, 0, 2, 1], [0, 0, 0, 0]])
        let byLabel = Dictionary(uniqueKeysWithValues: model.perLabel.map { ($0.label, $0) })
        // entailment: the LLM said it 3 times, right once; people said it twice, the LLM found one.
        #expect(abs(byLabel["entailment"]!.precision - 1.0 / 3) < 1e-12)
        #expect(abs(byLabel["entailment"]!.recall - 1.0 / 2) < 1e-12)
        // neutral: the LLM said it once (wrong), people said it twice (never found).
        #expect(byLabel["neutral"]!.precision == 0 && byLabel["neutral"]!.recall == 0)
        #expect(abs(byLabel["contradiction"]!.precision - 2.0 / 4) < 1e-12)
        #expect(abs(byLabel["contradiction"]!.recall - 2.0 / 3) < 1e-12)
        // other: never said by the LLM, so precision is undefined; people said it once.
        #expect(byLabel["other"]!.precision.isNaN && byLabel["other"]!.recall == 0)
        let rendered = report.render()
        let entailmentLine = try #require(rendered.split(separator: "\n").last { $0.hasPrefix("entailment ") })
        #expect(entailmentLine.hasSuffix("0.333   0.500  0.400"))
        let otherLine = try #require(rendered.split(separator: "\n").last { $0.hasPrefix("other ") })
        #expect(otherLine.contains("—") && !otherLine.contains("nan"))
    }

    @Test func accuracyEstimateIsUnknownWhenNothingChecksPeoplesLabels() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("people.sqlite"))
        _ = try store.importItems { sink in
            for index in 0..<10 { try sink.add(ImportRecord(externalId: "i\(index)", text: "item \(index)")) }
        }
        for itemId in 1...10 {
            try store.recordDecision(Decision(itemId: Int64(itemId), annotator: "ann", kind: .correct, label: "neutral"))
        }
        let statistics = try ProjectStatistics(store: store)
        #expect(statistics.estimatedDatasetAccuracy == nil)
        var config = ProjectConfig(name: "people", labels: Self.labels)
        config.llm.provider = .none
        let text = StatsOverview.render(statistics, config: config)
        #expect(text.contains("estimated accuracy      unknown: 10 labels by people have no gold answers"))
        #expect(!text.contains("100.0%"))
        #expect(text.contains("\nLLM: none\n"))
        #expect(!text.contains(config.llm.model))
    }

    @Test func goldImportedWithTheLabelsScoresEachPersonAndTheEstimate() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("crowd.sqlite"), overlapPolicy: OverlapPolicy(overlap: 3, maxOverlap: 3))
        _ = try store.importItems { sink in
            for index in 0..<4 { try sink.add(ImportRecord(externalId: "i\(index)", text: "item \(index)")) }
        }
        // Gold: i0..i3 all "entailment". bob is wrong on i0 and i1; ann and cat are always right,
        // so every plurality is right except none: 4 of 4 final labels agree with gold.
        var rows = "item,annotator,label,gold\n"
        for index in 0..<4 {
            rows += "i\(index),ann,entailment,entailment\n"
            rows += "i\(index),bob,\(index < 2 ? "neutral" : "entailment"),entailment\n"
            rows += "i\(index),cat,entailment,entailment\n"
        }
        let file = dir.path("labels.csv")
        try rows.write(toFile: file, atomically: true, encoding: .utf8)
        let importer = AnnotationsImporter(store: store, labels: Self.labels)
        let columns = AnnotationsImporter.Columns(item: "item", annotator: "annotator", label: "label", gold: "gold")
        let first = try importer.importFile(at: file, format: .csv, columns: columns)
        #expect(first.recorded == 12 && first.alreadyImported == 0)

        let statistics = try ProjectStatistics(store: store)
        let bob = try #require(statistics.annotators.first { $0.name == "bob" })
        #expect(bob.goldenAnswered == 4 && bob.goldenCorrect == 2)
        #expect(statistics.annotators.first { $0.name == "ann" }?.goldenAccuracy == 1)
        #expect(statistics.estimatedDatasetAccuracy == 1)
        #expect(statistics.datasetAccuracy.basis.contains("4 of 4 final labels with a gold answer"))
    }

    @Test func importingTheSameLabelsTwiceRecordsThemOnce() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("twice.sqlite"), overlapPolicy: OverlapPolicy(overlap: 2, maxOverlap: 2))
        _ = try store.importItems { sink in
            for index in 0..<3 { try sink.add(ImportRecord(externalId: "i\(index)", text: "item \(index)")) }
        }
        let file = dir.path("labels.csv")
        // The last row repeats the first: imported once even within one file.
        try "id,annotator,label\ni0,ann,neutral\ni1,ann,other\ni2,bob,neutral\ni0,ann,neutral\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let importer = AnnotationsImporter(store: store, labels: Self.labels)
        let first = try importer.importFile(at: file, format: .csv, columns: .init())
        #expect(first.recorded == 3 && first.alreadyImported == 1)
        let decisionsAfterFirst = try store.allDecisions().count
        let second = try importer.importFile(at: file, format: .csv, columns: .init())
        #expect(second.recorded == 0 && second.alreadyImported == 4)
        #expect(try store.allDecisions().count == decisionsAfterFirst)
        #expect(try store.statusCounts().decisions == 3)
    }
}
