import AnnottyCore
import Foundation
import Testing
@testable import AnnottyLLM
import AnnottyLoop
import AnnottyTestSupport

/// The API key is read from the environment and sent in the Authorization header, and appears
/// nowhere else: not in the database, not in exports, not in the status line or progress, not
/// in the local server's log or environment, even when a server echoes it back.
@Suite(.serialized) struct APIKeySecrecyTests {
    static let key = "sk-annotty-FAKE-KEY-4b7e19c2d0"

    func files(in folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
    }

    func expectNoKey(in url: URL) throws {
        let data = try Data(contentsOf: url)
        #expect(data.range(of: Data(APIKeySecrecyTests.key.utf8)) == nil, "the key is in \(url.lastPathComponent)")
        // Nor a recognisable part of it.
        #expect(data.range(of: Data("4b7e19c2d0".utf8)) == nil, "part of the key is in \(url.lastPathComponent)")
    }

    @Test func keyFromTheEnvironmentIsSentButNeverStoredExportedOrShown() throws {
        let project = try TestProject()
        let answer = CannedAnswers.labelled("positive", alternatives: [("positive", -0.2), ("negative", -1.9)])
        // A careless server that echoes the Authorization header into its errors.
        let server = try FaultServer { index, request in
            let echoed = request.headers["authorization"] ?? ""
            switch index {
            case 0: return .respond(status: 401, body: "{\"error\":{\"message\":\"Incorrect API key provided: \(echoed)\"}}")
            case 1: return .respond(status: 500, body: "upstream said: \(echoed)")
            case 2: return .respond(status: 200, body: CannedAnswers.chat(content: "{\"label\": \"\(echoed)\"}"))
            default: return .respond(status: 200, body: answer)
            }
        }
        defer { server.stop() }
        var settings = project.settings(provider: .openai, baseURL: server.baseURL)
        settings.apiKeyEnv = "ANNOTTY_TEST_API_KEY"
        settings.maxRetries = 0
        settings.maxConcurrency = 1
        let session = LLMSession(settings: settings, labels: project.labels, guidelines: project.guidelines, store: project.store,
                                 environment: ["ANNOTTY_TEST_API_KEY": APIKeySecrecyTests.key])
        let predictor = try session.start()
        let progressLines = StringLog()
        let result = try BulkPrelabeler(predictor: predictor, store: project.store, concurrency: 1)
            .run(itemIds: project.itemIds) { progressLines.add("\($0)") }
        #expect(result.failed == 2 && result.invalid == 1 && result.answered == project.itemIds.count - 3)
        // The key did travel, where it belongs.
        #expect(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(APIKeySecrecyTests.key)" })

        // Status line and progress.
        let statuses = StatusLog()
        let prefetcher = Prefetcher(session: session, store: project.store)
        prefetcher.onStatus = { statuses.add($0) }
        prefetcher.setUpcoming(project.itemIds)
        prefetcher.start()
        statuses.wait { $0.contains { $0.reason?.contains("[redacted]") == true } }
        prefetcher.stop()
        session.stop()
        let shown = statuses.all.map { "\($0)" } + progressLines.all + [result.lastFailure ?? ""]
        #expect(shown.contains { $0.contains("[redacted]") })
        #expect(!shown.contains { $0.contains(APIKeySecrecyTests.key) })

        // Every export format.
        for format in ExportFormat.allCases {
            let url = project.folder.appendingPathComponent("export.\(format.rawValue)")
            let output = try BufferedOutput(path: url.path)
            _ = try Exporter(store: project.store, labels: project.labels).export(format: format, to: output)
            try output.close()
        }
        // The database (with its WAL) and the exports.
        let written = try files(in: project.folder)
        #expect(written.contains { $0.lastPathComponent == "annotty.sqlite" })
        #expect(written.count >= ExportFormat.allCases.count + 1)
        for file in written { try expectNoKey(in: file) }
        let stored = try project.store.allLatestPredictions(model: nil)
        #expect(stored.contains { $0.error?.contains("[redacted]") == true })
    }

    @Test(.enabled(if: LocalModel.available, Comment(rawValue: LocalModel.missingMessage)))
    func localServerNeverSeesTheKey() throws {
        let variable = "ANNOTTY_TEST_LOCAL_KEY"
        setenv(variable, APIKeySecrecyTests.key, 1)
        defer { unsetenv(variable) }
        let project = try TestProject(items: ["Fine."])
        var settings = project.settings(provider: .local)
        settings.apiKeyEnv = variable
        let session = LLMSession(settings: settings, labels: project.labels, guidelines: project.guidelines, store: project.store,
                                 localEnvironment: { .success(LocalModel.environment!) })
        defer { session.stop() }
        let predictor = try session.start()
        _ = try predictor.predict(try #require(try project.items().first))
        let server = try #require(session.localServer)
        let pid = try #require(server.pid)
        let environment = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))
        #expect(environment.range(of: Data(APIKeySecrecyTests.key.utf8)) == nil)
        #expect(environment.range(of: Data("PATH=".utf8)) != nil) // the rest of the environment is passed on
        try expectNoKey(in: server.logURL)
        for file in try files(in: project.folder) { try expectNoKey(in: file) }
    }
}

final class StringLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
