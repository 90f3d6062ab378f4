import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// A multi-label project's sets through `import-annotations` and `export` in every multi-label
/// format and back, on real SQLite files: the same sets come back, including the empty set, labels
/// with commas and quotes, and an item without an answer (which stays without one).
@Suite("Multi-label project round trip")
struct MultiLabelProjectRoundTripTests {
    let labels = LabelSet(names: ["anger", "joy", "big \"surprise\"", "neutral, mostly"])
    /// Item id, text and the set its one annotator gave; nil: nobody answered it.
    let items: [(id: String, text: String, set: [String]?)] = [
        ("a1", "plain", ["joy"]),
        ("a2", "commas, \"quotes\" and\na line break", ["anger", "big \"surprise\""]),
        ("a3", "none of them", []),
        ("a 4", "émoji 😩 and tab\there", ["neutral, mostly", "joy", "anger", "big \"surprise\""]),
        ("5", "  spaces kept  ", ["neutral, mostly"]),
        ("6", "left without an answer", nil),
    ]

    func makeStore(_ dir: TemporaryDirectory, name: String = "annotty.sqlite") throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.path(name))
        _ = try store.importItems { sink in
            for item in items { try sink.add(ImportRecord(externalId: item.id, text: item.text)) }
        }
        return store
    }

    /// The sets as a JSONL file with an annotator per line, as a team's tool would hand them over.
    func annotationsFile(_ dir: TemporaryDirectory) throws -> String {
        let lines = try items.compactMap { item -> String? in
            guard let set = item.set else { return nil }
            let object: [String: Any] = ["id": item.id, "text": item.text, "labels": set, "annotator": "ann"]
            return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        return try dir.write("sets.jsonl", lines.joined(separator: "\n") + "\n")
    }

    func expectedSets() -> [String: Set<String>] {
        Dictionary(uniqueKeysWithValues: items.compactMap { item in item.set.map { (item.id, Set($0)) } })
    }

    func export(_ store: SQLiteStore, _ format: MultiLabelFormat, to path: String, separator: Character = "|") throws -> ExportSummary {
        var exporter = MultiLabelExporter(store: store, labels: labels)
        exporter.separator = separator
        let out = try BufferedOutput(path: path)
        let summary = try exporter.export(format: format, to: out)
        try out.close()
        if format == .huggingFace {
            try exporter.huggingFaceFeatures(fieldNames: summary.fieldNames)
                .write(toFile: Exporter.huggingFaceFeaturesPath(besides: path), atomically: true, encoding: .utf8)
        }
        return summary
    }

    func readBack(_ format: MultiLabelFormat, path: String, separator: Character = "|") throws -> [MultiLabelRecord] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        switch format {
        case .jsonl: return try MultiLabelJSONL.read(text, file: path, labelNames: labels.names)
        case .csv: return try MultiLabelCSV.read(text, file: path, separator: separator, labelNames: labels.names)
        case .labelStudio: return try MultiLabelLabelStudio.read(text, file: path, labelNames: labels.names)
        case .huggingFace:
            let features = try String(contentsOfFile: Exporter.huggingFaceFeaturesPath(besides: path), encoding: .utf8)
            let names = try MultiLabelHuggingFace.readLabelNames(features, file: "features")
            #expect(names == labels.names)
            return try MultiLabelHuggingFace.readRows(text, file: path, labelNames: names)
        }
    }

    @Test("Imported sets are stored as encoded decisions, then export in every format and read back to the same sets")
    func everyFormatRoundTrips() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        let importer = MultiLabelAnnotationsImporter(store: store, labels: labels, allowEmptySet: true)
        let outcome = try importer.importFile(at: try annotationsFile(dir), options: .init(format: .jsonl))
        #expect(outcome.recorded == 5 && outcome.alreadyImported == 0 && outcome.skipped.isEmpty)

        // Row by row in the database: one imported decision per answered item, its label the set in label order.
        let decisions = try store.allDecisions()
        #expect(decisions.count == 5)
        #expect(decisions.allSatisfy { $0.kind == .imported && $0.annotator == "ann" })
        let byItem = Dictionary(uniqueKeysWithValues: decisions.map { ($0.itemId, $0.label ?? "") })
        #expect(byItem[4] == #"["anger","joy","big \"surprise\"","neutral, mostly"]"#)
        #expect(byItem[3] == "[]")
        #expect(try store.finalLabels()[3]?.label == "[]")

        for format in MultiLabelFormat.allCases {
            let path = dir.path("export-\(format.rawValue)" + (format == .huggingFace ? ".jsonl" : ".out"))
            let summary = try export(store, format, to: path)
            let back = try readBack(format, path: path)
            let answered = back.filter(\.isAnswered)
            #expect(Dictionary(uniqueKeysWithValues: answered.map { ($0.id, $0.labelSet) }) == expectedSets(), "\(format)")
            #expect(Dictionary(uniqueKeysWithValues: back.map { ($0.id, $0.text) })["a2"] == items[1].text, "\(format)")
            if format == .huggingFace {
                // Like single-label hf: items without a final set are left out and counted.
                #expect(summary.written == 5 && summary.leftOutUnlabelled == 1)
                #expect(!back.contains { $0.id == "6" })
            } else {
                #expect(summary.written == 6)
                #expect(back.filter { !$0.isAnswered }.map(\.id) == ["6"], "\(format)")
            }

            // And into a second project with the same items: the same decisions.
            let copy = try makeStore(dir, name: "copy-\(format.rawValue).sqlite")
            let again = try MultiLabelAnnotationsImporter(store: copy, labels: labels, allowEmptySet: true)
                .importFile(at: path, options: .init(format: format, annotator: "export"))
            #expect(again.recorded == 5, "\(format)")
            #expect(again.unanswered == (format == .huggingFace ? 0 : 1), "\(format)")
            let copied = Dictionary(uniqueKeysWithValues: try copy.allDecisions().map { ($0.itemId, $0.label ?? "") })
            #expect(copied == byItem, "\(format)")
        }
    }

    @Test("CSV with another separator; a separator a label holds is refused before anything is written")
    func csvSeparator() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        _ = try MultiLabelAnnotationsImporter(store: store, labels: labels, allowEmptySet: true)
            .importFile(at: try annotationsFile(dir), options: .init(format: .jsonl))
        let path = dir.path("semicolons.csv")
        _ = try export(store, .csv, to: path, separator: ";")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("anger;big \"\"surprise\"\""))
        let back = try readBack(.csv, path: path, separator: ";").filter(\.isAnswered)
        #expect(Dictionary(uniqueKeysWithValues: back.map { ($0.id, $0.labelSet) }) == expectedSets())
        #expect(throws: MultiLabelWriteError.self) { try export(store, .csv, to: dir.path("commas.csv"), separator: ",") }
        #expect(!FileManager.default.fileExists(atPath: dir.path("commas.csv")))
    }

    @Test("Importing again records nothing new; another annotator's sets are recorded beside")
    func importIsIdempotent() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        let importer = MultiLabelAnnotationsImporter(store: store, labels: labels, allowEmptySet: true)
        let file = try annotationsFile(dir)
        _ = try importer.importFile(at: file, options: .init(format: .jsonl))
        let second = try importer.importFile(at: file, options: .init(format: .jsonl))
        #expect(second.recorded == 0 && second.alreadyImported == 5)
        let csv = try dir.write("bob.csv", "id,text,labels\r\na1,plain,anger|joy\r\n")
        let bob = try importer.importFile(at: csv, options: .init(format: .csv, annotator: "bob"))
        #expect(bob.recorded == 1)
        #expect(try store.allDecisions().filter { $0.annotator == "bob" }.map(\.label) == [#"["anger","joy"]"#])
    }

    @Test("Bad input names the file and line: a label outside the project, an unknown item, an empty set where one label is needed")
    func refusals() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        let importer = MultiLabelAnnotationsImporter(store: store, labels: labels, allowEmptySet: false)
        let unknownLabel = try dir.write("bad.jsonl", "{\"id\":\"a1\",\"text\":\"x\",\"labels\":[\"joy\"]}\n{\"id\":\"a2\",\"text\":\"y\",\"labels\":[\"fear\"]}\n")
        #expect(throws: InputError(file: unknownLabel, line: 2, message: "label \"fear\" is not one of the task's labels "
                                   + "(anger, joy, big \"surprise\", neutral, mostly)")) {
            try importer.importFile(at: unknownLabel, options: .init(format: .jsonl))
        }
        let emptySet = try dir.write("empty.csv", "id,text,labels\r\na1,plain,joy\r\na3,none,\r\n")
        #expect(throws: InputError(file: emptySet, line: 3, message: "item \"a3\" has the empty set, and this project wants at least "
                                   + "one label per item (allow_empty_set = false in annotty.toml)")) {
            try importer.importFile(at: emptySet, options: .init(format: .csv))
        }
        // All or nothing: the good first row of the refused file was not kept.
        #expect(try store.allDecisions().isEmpty)
        let unknownItem = try dir.write("unknown.jsonl", "{\"id\":\"zz\",\"text\":\"x\",\"labels\":[\"joy\"]}\n")
        #expect(throws: InputError(file: unknownItem, line: 1, message: "no item with id \"zz\" in the project (import the items first)")) {
            try importer.importFile(at: unknownItem, options: .init(format: .jsonl))
        }
        let skipped = try importer.importFile(at: emptySet, options: .init(format: .csv, skipInvalid: true))
        #expect(skipped.recorded == 1 && skipped.skipped.map(\.line) == [3])
        let noFeatures = try dir.write("rows.jsonl", "{\"id\":\"a1\",\"text\":\"x\",\"labels\":[0,1,0,0]}\n")
        #expect(throws: InputError.self) { try importer.importFile(at: noFeatures, options: .init(format: .huggingFace)) }
    }
}

@Suite("Multi-label gold sets on import")
struct MultiLabelGoldImportTests {
    let labels = LabelSet(names: ["a", "b", "c"])

    /// Two people and a gold set per item in one JSONL file and one CSV file: the gold sets become
    /// the items' gold answers, which aggregation then scores against.
    @Test("A gold key or column keeps the item's true set, and aggregate scores against it")
    func goldSets() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"), overlapPolicy: OverlapPolicy(overlap: 2, maxOverlap: 2))
        _ = try store.importItems { sink in
            for id in ["i1", "i2", "i3"] { try sink.add(ImportRecord(externalId: id, text: id)) }
        }
        let importer = MultiLabelAnnotationsImporter(store: store, labels: labels, allowEmptySet: true)
        let jsonl = try dir.write("p.jsonl", """
            {"id":"i1","text":"i1","labels":["a","b"],"annotator":"p","gold":["a","b"]}
            {"id":"i2","text":"i2","labels":["c"],"annotator":"p","gold":[]}
            {"id":"i3","text":"i3","labels":["a"],"annotator":"p"}

            """)
        let first = try importer.importFile(at: jsonl, options: .init(format: .jsonl))
        #expect(first.recorded == 3 && first.withGold == 2)
        let csv = try dir.write("q.csv", "id,text,labels,annotator,gold\r\ni1,i1,a|b,q,\r\ni2,i2,,q,\r\ni3,i3,a,q,a|c\r\n")
        #expect(try importer.importFile(at: csv, options: .init(format: .csv)).withGold == 1)
        #expect(try store.goldLabels() == [1: #"["a","b"]"#, 2: "[]", 3: #"["a","c"]"#])
        // Majority per label (two people, ties out): {a,b}, {} (c tied), {a} against gold {a,b}, {}, {a,c}.
        let outcome = try MultiLabelAggregationRun(store: store, labels: labels).run(method: .majority)
        #expect(outcome.scoredItems == 3 && abs((outcome.exactMatch ?? 0) - 2.0 / 3.0) < 1e-12)
        let bad = try dir.write("bad.jsonl", "{\"id\":\"i1\",\"text\":\"i1\",\"labels\":[\"a\"],\"gold\":[\"z\"]}\n")
        #expect(throws: InputError(file: bad, line: 1, message: "label \"z\" is not one of the task's labels (a, b, c)")) {
            try importer.importFile(at: bad, options: .init(format: .jsonl))
        }
    }
}

@Suite("Multi-label Label Studio teams")
struct MultiLabelLabelStudioTeamTests {
    /// A Label Studio export with two people per task (user ids and an email), a cancelled
    /// annotation and a task nobody annotated: each person's set becomes their decision.
    @Test("Every annotation not cancelled is one person's set, named from completed_by")
    func everyAnnotation() throws {
        let labels = LabelSet(names: ["a", "b", "c"])
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"), overlapPolicy: OverlapPolicy(overlap: 2, maxOverlap: 2))
        _ = try store.importItems { sink in
            for id in ["t1", "t2"] { try sink.add(ImportRecord(externalId: id, text: id)) }
        }
        func annotation(_ user: String, _ choices: [String], cancelled: Bool = false) -> String {
            "{\"completed_by\":\(user),\"was_cancelled\":\(cancelled),\"result\":[{\"from_name\":\"labels\",\"to_name\":\"text\","
                + "\"type\":\"choices\",\"value\":{\"choices\":[" + choices.map { "\"\($0)\"" }.joined(separator: ",") + "]}}]}"
        }
        let file = try dir.write("project.json", "[\n"
            + "{\"id\":1,\"data\":{\"id\":\"t1\",\"text\":\"t1\"},\"annotations\":[" + annotation("7", ["a", "b"]) + ","
            + annotation("{\"id\":8,\"email\":\"bo@example.org\"}", ["a"]) + "," + annotation("9", ["c"], cancelled: true) + "]},\n"
            + "{\"id\":2,\"data\":{\"id\":\"t2\",\"text\":\"t2\"},\"annotations\":[]}\n]\n")
        let outcome = try MultiLabelAnnotationsImporter(store: store, labels: labels, allowEmptySet: true)
            .importFile(at: file, options: .init(format: .labelStudio))
        #expect(outcome.recorded == 2 && outcome.unanswered == 1)
        let decisions = try store.allDecisions().map { "\($0.itemId) \($0.annotator) \($0.label ?? "")" }
        #expect(decisions == [#"1 labelstudio-user-7 ["a","b"]"#, #"1 bo@example.org ["a"]"#])
        // The plain reader keeps the last annotation not cancelled.
        let last = try MultiLabelLabelStudio.read(try String(contentsOfFile: file, encoding: .utf8), file: file)
        #expect(last.map(\.labelSet) == [["a"], []] && last.map(\.isAnswered) == [true, false])
    }
}
