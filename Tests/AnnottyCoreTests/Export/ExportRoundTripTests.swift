import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

@Suite struct ExportRoundTripTests {
    static let sampleReviews = SharedDatasets.repositoryRoot.appendingPathComponent("sample-data/reviews.jsonl").path
    static let labels = LabelSet(names: ["positive", "negative", "neutral", "mixed"])

    func export(_ store: SQLiteStore, _ format: ExportFormat, to path: String) throws -> String {
        let output = try BufferedOutput(path: path)
        try Exporter(store: store, labels: Self.labels).export(format: format, to: output)
        try output.close()
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    /// A project from the sample with a few decisions and a prediction.
    func labelledSampleStore(_ dir: TemporaryDirectory) throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.path("a.sqlite"))
        _ = try Importer(store: store).importFile(at: Self.sampleReviews, options: ImportOptions(format: .jsonl))
        try store.savePrediction(Prediction(itemId: 1, model: "smollm2", label: "positive",
                                            probabilities: ["positive": 0.625, "negative": 0.125, "neutral": 0.125, "mixed": 0.125]))
        try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .correct, label: "mixed",
                                          shownLabel: "positive", shownConfidence: 0.625, shownSource: .llm, timeSpentMs: 2500))
        try store.recordDecision(Decision(itemId: 2, annotator: "bob", kind: .correct, label: "negative"))
        try store.savePrediction(Prediction(itemId: 3, model: "smollm2", label: "neutral",
                                            probabilities: ["positive": 0.25, "negative": 0.25, "neutral": 0.375, "mixed": 0.125]))
        return store
    }

    @Test func jsonlExportGivesBackEveryFieldOfTheSampleAndReimportsTheSameItems() throws {
        let dir = try TemporaryDirectory()
        let store = try labelledSampleStore(dir)
        let exported = try export(store, .jsonl, to: dir.path("out.jsonl"))
        let originals = try jsonLines(try String(contentsOfFile: Self.sampleReviews, encoding: .utf8))
        var rows = try jsonLines(exported)
        #expect(rows.count == originals.count && rows.count == 300)
        let annotty = try #require(rows[0]["annotty"] as? [String: Any])
        #expect(annotty["label"] as? String == "mixed" && annotty["decided_by"] as? String == "correct")
        #expect(annotty["annotators"] as? [String] == ["ann"] && annotty["confidence_shown"] as? Double == 0.625)
        for index in rows.indices {
            rows[index]["annotty"] = nil
            #expect(NSDictionary(dictionary: rows[index]).isEqual(to: originals[index]), "row \(index + 1) differs")
        }
        // Importing the export gives the same items, and exporting again the same rows.
        let copy = try SQLiteStore(path: dir.path("b.sqlite"))
        let report = try Importer(store: copy).importFile(at: dir.path("out.jsonl"), options: ImportOptions(format: .jsonl))
        #expect(report.summary.inserted == 300)
        let ids = Array(1...300).map(Int64.init)
        let before = try store.items(ids: ids).map { [$0.externalId, $0.text, $0.metadataJSON, $0.contentHash] }
        let after = try copy.items(ids: ids).map { [$0.externalId, $0.text, $0.metadataJSON, $0.contentHash] }
        #expect(before == after)
    }

    @Test func labelStudioExportImportsBackWithTheSameLabelsAndScores() throws {
        let dir = try TemporaryDirectory()
        let store = try labelledSampleStore(dir)
        let first = try export(store, .labelStudio, to: dir.path("ls1.json"))
        let copy = try SQLiteStore(path: dir.path("b.sqlite"))
        let report = try Importer(store: copy).importFile(at: dir.path("ls1.json"), options: ImportOptions(format: .labelStudio))
        #expect(report.summary.inserted == 300)
        let second = try export(copy, .labelStudio, to: dir.path("ls2.json"))

        func labelsAndScores(_ json: String) throws -> [String: [String]] {
            let tasks = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
            var result: [String: [String]] = [:]
            for task in tasks {
                let data = try #require(task["data"] as? [String: Any])
                let id = try #require(data["id"] as? String)
                var facts: [String] = []
                let kept = (task["meta"] as? [String: Any])?["annotty"] as? [String: Any]
                let annotators = kept?["annotators"] as? [String] ?? []
                #expect(task["id"] == nil)
                for (index, annotation) in (task["annotations"] as? [[String: Any]] ?? []).enumerated() {
                    // What Label Studio 1.23 accepts: no completed_by, not ground truth, times kept.
                    #expect(annotation["completed_by"] == nil && annotation["ground_truth"] as? Bool == false)
                    #expect(annotation["created_at"] is String && annotation["lead_time"] is NSNumber)
                    let choice = ((annotation["result"] as? [[String: Any]])?.first?["value"] as? [String: Any])?["choices"] as? [String]
                    facts.append("annotation \(annotators[index]) \(choice ?? [])")
                }
                for prediction in task["predictions"] as? [[String: Any]] ?? [] {
                    let choice = ((prediction["result"] as? [[String: Any]])?.first?["value"] as? [String: Any])?["choices"] as? [String]
                    facts.append("prediction \(prediction["model_version"] ?? "") \(choice ?? []) \(prediction["score"] ?? "")")
                }
                result[id] = facts
            }
            return result
        }
        let original = try labelsAndScores(first)
        #expect(original["r0001"] == ["annotation ann [\"mixed\"]", "prediction smollm2 [\"positive\"] 0.625"])
        #expect(original["r0003"] == ["prediction smollm2 [\"neutral\"] 0.375"])
        #expect(try labelsAndScores(second) == original)
        // Every label's probability and each decision's time and moment come back.
        let pairs: [(Int64, Int64)] = try (1...300).compactMap { index in
            let externalId = String(format: "r%04d", index)
            guard let a = try store.itemId(externalId: externalId), let b = try copy.itemId(externalId: externalId) else { return nil }
            return (a, b)
        }
        let originalPredictions = try store.latestPredictions(itemIds: pairs.map(\.0))
        let copiedPredictions = try copy.latestPredictions(itemIds: pairs.map(\.1))
        #expect(!originalPredictions.isEmpty)
        for (a, b) in pairs {
            #expect(originalPredictions[a]?.probabilities == copiedPredictions[b]?.probabilities)
            let before = try store.decisions(itemId: a).filter { $0.label != nil }
            let after = try copy.decisions(itemId: b)
            #expect(before.map(\.timeSpentMs) == after.map(\.timeSpentMs))
            if a == 1 { #expect(after.map(\.timeSpentMs) == [2500]) }
            #expect(before.map { $0.createdAt.timeIntervalSince1970.rounded(.down) } == after.map { $0.createdAt.timeIntervalSince1970.rounded(.down) })
        }
    }

    /// Label Studio's own export leaves predictions out: annotty says so, and takes the pre-label
    /// it kept in meta.annotty.
    @Test func aLabelStudioExportWithoutPredictionsIsNamedAndRestoredFromMeta() throws {
        let dir = try TemporaryDirectory()
        let store = try labelledSampleStore(dir)
        let exported = try export(store, .labelStudio, to: dir.path("ls1.json"))
        var tasks = try #require(try JSONSerialization.jsonObject(with: Data(exported.utf8)) as? [[String: Any]])
        for index in tasks.indices { tasks[index].removeValue(forKey: "predictions") }
        try JSONSerialization.data(withJSONObject: tasks).write(to: URL(fileURLWithPath: dir.path("no-predictions.json")))
        let copy = try SQLiteStore(path: dir.path("b.sqlite"))
        let report = try Importer(store: copy).importFile(at: dir.path("no-predictions.json"), options: ImportOptions(format: .labelStudio))
        #expect(report.warnings.count == 1)
        #expect(report.warnings.first?.message.contains("Label Studio's export leaves them out") == true)
        let restored = try copy.allLatestPredictions(model: "smollm2")
        #expect(restored.count == (try store.allLatestPredictions(model: "smollm2")).count && !restored.isEmpty)
    }

    @Test func theLabelStudioConfigNamesTheChoicesTheExportWrites() {
        let xml = Exporter.labelStudioConfig(labels: Self.labels, displayFields: ["product"])
        #expect(xml.contains("<Choices name=\"label\" toName=\"text\" choice=\"single\""))
        #expect(xml.contains("<Text name=\"text\" value=\"$text\"/>") && xml.contains("value=\"$product\""))
        for name in Self.labels.names { #expect(xml.contains("<Choice value=\"\(name)\"/>")) }
    }

    @Test func huggingFaceExportHasOneTypePerColumnAndOnlyLabelledRows() throws {
        let dir = try TemporaryDirectory()
        let store = try labelledSampleStore(dir)
        let rows = try jsonLines(try export(store, .huggingFace, to: dir.path("hf.jsonl")))
        #expect(rows.count == 2)
        for row in rows {
            #expect(Set(row.keys) == ["id", "text", "label", "label_id", "label_from"])
            #expect(row["label_from"] as? String == "plurality")
            #expect(row["id"] is String && row["text"] is String && row["label"] is String)
        }
        #expect(rows[0]["label"] as? String == "mixed" && (rows[0]["label_id"] as? NSNumber)?.intValue == 3)
    }

    /// The features beside the hf export make label_id a ClassLabel whose names index as label_id
    /// does, and name every column of the rows; the summary counts the unlabelled items left out.
    @Test func huggingFaceFeaturesNameEveryColumnWithLabelIdAsAClassLabel() throws {
        let dir = try TemporaryDirectory()
        let store = try labelledSampleStore(dir)
        let labels = Self.labels
        let output = try BufferedOutput(path: dir.path("hf.jsonl"))
        let exporter = Exporter(store: store, labels: labels)
        let summary = try exporter.exportWithSummary(format: .huggingFace, to: output)
        try output.close()
        let items = try store.statusCounts().items
        #expect(summary.written == 2 && summary.leftOutUnlabelled == items - 2)
        let features = try #require(try JSONSerialization.jsonObject(
            with: Data(exporter.huggingFaceFeatures(fieldNames: summary.fieldNames).utf8)) as? [String: [String: Any]])
        #expect(features["label_id"]?["_type"] as? String == "ClassLabel")
        let names = try #require(features["label_id"]?["names"] as? [String])
        #expect(names == labels.names)
        for row in try jsonLines(try String(contentsOfFile: dir.path("hf.jsonl"), encoding: .utf8)) {
            #expect(Set(row.keys) == Set(features.keys))
            let labelId = try #require((row["label_id"] as? NSNumber)?.intValue)
            #expect(names[labelId] == row["label"] as? String)
        }
        #expect(Exporter.huggingFaceFeaturesPath(besides: "out/data.jsonl") == "out/data.features.json")
    }

    /// The text keeps the name it was imported under in every format.
    @Test func everyFormatWritesTheTextUnderTheProjectsTextField() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("nli.jsonl", "{\"id\":\"p1\",\"premise\":\"A man sleeps.\",\"hypothesis\":\"Someone rests.\"}\n")
        let store = try SQLiteStore(path: dir.path("n.sqlite"))
        _ = try Importer(store: store).importFile(at: path, options: ImportOptions(format: .jsonl, textField: "premise",
                                                                                    displayFields: ["hypothesis"]))
        try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .correct, label: "positive"))
        for format in ExportFormat.allCases {
            let output = try BufferedOutput(path: dir.path("out.\(format.rawValue)"))
            var exporter = Exporter(store: store, labels: Self.labels)
            exporter.textField = "premise"
            try exporter.export(format: format, to: output)
            try output.close()
            let text = try String(contentsOfFile: dir.path("out.\(format.rawValue)"), encoding: .utf8)
            #expect(text.contains(format == .csv ? "id,premise,hypothesis" : "\"premise\":\"A man sleeps.\""), "\(format)")
            #expect(!text.contains("\"text\":\"A man"), "\(format)")
        }
        #expect(Exporter.labelStudioConfig(labels: Self.labels, textField: "premise", displayFields: []).contains("value=\"$premise\""))
    }

    /// Prodigy's JSONL: accept the final label; reject the pre-label a person corrected.
    @Test func prodigyExportAcceptsTheFinalLabelAndRejectsACorrectedPreLabel() throws {
        let dir = try TemporaryDirectory()
        let store = try labelledSampleStore(dir)
        let rows = try jsonLines(try export(store, .prodigy, to: dir.path("prodigy.jsonl")))
        let first = rows.filter { ($0["meta"] as? [String: Any])?["id"] as? String == "r0001" }
        #expect(first.count == 2)
        #expect(first[0]["label"] as? String == "mixed" && first[0]["answer"] as? String == "accept")
        #expect(first[0]["accept"] as? [String] == ["mixed"])
        #expect((first[0]["options"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == Self.labels.names)
        #expect(first[1]["label"] as? String == "positive" && first[1]["answer"] as? String == "reject")
        #expect(rows.count == 3)
    }

    @Test func csvExportQuotesTextWithCommasAndLineBreaks() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("a.sqlite"))
        _ = try store.importItems { sink in try sink.add(ImportRecord(externalId: "x1", text: "a, \"b\"\nc")) }
        try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .correct, label: "neutral"))
        let csv = try export(store, .csv, to: dir.path("out.csv"))
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "id,text,label,label_from,decided_by,annotators,confidence_shown,model,model_label,model_confidence,decided_at,metadata")
        #expect(lines[1].hasPrefix("x1,\"a, \"\"b\"\"\nc\",neutral,plurality,correct,ann,,,,,"))
    }
}
