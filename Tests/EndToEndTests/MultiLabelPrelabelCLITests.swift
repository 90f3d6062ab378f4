import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// `annotty import-predictions` and `annotty prelabel` on a multi-label project, through the
/// binary: per-label probabilities read into the store, bad files refused with their line, and
/// what is single-label only refused before anything starts.
@Suite(.enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct MultiLabelPrelabelCLITests {
    static let labels = "anger,joy,sadness"

    /// A multi project of three items (ids c1..c3).
    func project(in dir: TemporaryDirectory, provider: String = "none") throws -> String {
        let project = dir.path("emotions")
        let created = try CommandLineSurfaceTests.run(["init", project, "--task", "multi", "--labels", Self.labels,
                                                       "--provider", provider])
        #expect(created.status == 0, "\(created.output)")
        let items = try dir.write("items.jsonl", """
            {"id": "c1", "text": "I got the job!"}
            {"id": "c2", "text": "They lost my luggage again."}
            {"id": "c3", "text": "My dog died this morning."}

            """)
        let imported = try CommandLineSurfaceTests.run(["import", items, "-p", project])
        #expect(imported.status == 0, "\(imported.output)")
        return project
    }

    @Test func perLabelProbabilitiesAreImportedAsTheModelsPrelabelSets() throws {
        let dir = try TemporaryDirectory()
        let project = try project(in: dir)
        let file = try dir.write("predictions.jsonl", """
            {"id": "c1", "probabilities": {"anger": 0.05, "joy": 0.97, "sadness": 0.1}}
            {"id": "c2", "probabilities": {"anger": 0.8, "joy": 0.02, "sadness": 0.55}}
            {"id": "c9", "probabilities": {"anger": 0.5, "joy": 0.5, "sadness": 0.5}}

            """)
        let result = try CommandLineSurfaceTests.run(["import-predictions", file, "-p", project, "--model", "roberta-emotions"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("imported 2 multi-label pre-labels"), "\(result.output)")
        #expect(result.output.contains("\"c9\" (line 3)"), "\(result.output)")

        let store = try SQLiteStore(path: project + "/annotty.sqlite")
        let rows = try store.allLatestPredictions(model: "roberta-emotions").sorted { $0.itemId < $1.itemId }
        #expect(rows.count == 2)
        let ids = try ["c1", "c2"].map { try #require(try store.itemId(externalId: $0)) }
        #expect(rows.map(\.itemId) == ids)
        #expect(rows.map(\.label) == [#"["joy"]"#, #"["anger","sadness"]"#])
        #expect(rows[1].probabilities == ["anger": 0.8, "joy": 0.02, "sadness": 0.55])
        #expect(rows.allSatisfy { $0.isValid && $0.source == .llm })
    }

    @Test func aBadLineIsNamedAndNothingIsImported() throws {
        let dir = try TemporaryDirectory()
        let project = try project(in: dir)
        let file = try dir.write("predictions.jsonl", """
            {"id": "c1", "probabilities": {"anger": 0.05, "joy": 0.97, "sadness": 0.1}}
            {"id": "c2", "probabilities": {"anger": 0.8, "joy": 0.02}}

            """)
        let result = try CommandLineSurfaceTests.run(["import-predictions", file, "-p", project])
        #expect(result.status != 0)
        #expect(result.output.contains(file + ":2: no probability for label \"sadness\""), "\(result.output)")
        let store = try SQLiteStore(path: project + "/annotty.sqlite")
        #expect(try store.allLatestPredictions(model: nil).isEmpty)
    }

    @Test func prelabelRefusesWhatIsSingleLabelOnlyBeforeStartingAnything() throws {
        let dir = try TemporaryDirectory()
        let project = try project(in: dir, provider: "local")
        let batch = try CommandLineSurfaceTests.run(["prelabel", "-p", project, "--batch-out", dir.path("batch.jsonl")])
        #expect(batch.status == 64)
        #expect(batch.output.contains("--batch-out is single-label only"), "\(batch.output)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("batch.jsonl")))

        let configPath = project + "/annotty.toml"
        let config = try String(contentsOfFile: configPath, encoding: .utf8)
        let stated = config.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("confidence = ") ? "confidence = \"stated\"" : String($0) }.joined(separator: "\n")
        #expect(stated != config)
        try stated.write(toFile: configPath, atomically: true, encoding: .utf8)
        let refused = try CommandLineSurfaceTests.run(["prelabel", "-p", project])
        #expect(refused.status == 64)
        #expect(refused.output.contains("confidence = \"stated\" is single-label only"), "\(refused.output)")
        #expect(!refused.output.contains("starting the local model server"))
    }

    /// The local model's environment: ANNOTTY_VENV, or .venv in the repository.
    static let localVenv: String? = {
        let candidates = [ProcessInfo.processInfo.environment["ANNOTTY_VENV"],
                          SharedDatasets.repositoryRoot.appendingPathComponent(".venv").path].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0 + "/bin/python") }
    }()

    @Test(.enabled(if: localVenv != nil, "no local model environment: run scripts/setup-local-llm.sh (or set ANNOTTY_VENV)"))
    func prelabelWithTheLocalModelStoresEveryLabelsProbabilityAndTheCutoffSet() throws {
        let dir = try TemporaryDirectory()
        let project = try project(in: dir, provider: "local")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: LabelTestProject.binary!)
        process.arguments = ["prelabel", "-p", project, "--quiet"]
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C", "ANNOTTY_VENV": Self.localVenv!]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("pre-labelled 3 of 3 items: 3 answered"), "\(text)")

        let store = try SQLiteStore(path: project + "/annotty.sqlite")
        let labels = LabelSet(names: Self.labels.split(separator: ",").map(String.init))
        let rows = try store.allLatestPredictions(model: nil)
        #expect(rows.count == 3)
        for row in rows {
            #expect(row.isValid && row.source == .llm)
            #expect(Set(row.probabilities.keys) == Set(labels.names))
            #expect(row.probabilities.values.allSatisfy { (0...1).contains($0) })
            #expect(row.label == MultiLabelAnswer.predicted(inProbabilities: row.vector(over: labels), labels: labels).encoded)
            // Tokens of the three per-label calls are summed: one output token each.
            #expect(row.tokensOut == labels.count)
        }
    }
}
