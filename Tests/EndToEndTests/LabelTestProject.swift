import Foundation
import AnnottyCore
import AnnottyPostgres
import AnnottyTestSupport

/// A throwaway annotty project made with the real binary (`init`, `import`), plus what the
/// end-to-end tests need to drive `annotty label` and read its database.
final class LabelTestProject: Sendable {
    /// The annotty executable built beside this test bundle (or named by ANNOTTY_BINARY).
    static let binary: String? = {
        var candidates: [String] = []
        if let override = ProcessInfo.processInfo.environment["ANNOTTY_BINARY"] { candidates.append(override) }
        for path in [CommandLine.arguments.first, Bundle.main.executablePath].compactMap({ $0 }) {
            var folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            // Inside an .xctest bundle on macOS the binary is further up.
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent("annotty").path)
                folder = folder.deletingLastPathComponent()
            }
        }
        candidates.append(SharedDatasets.repositoryRoot.appendingPathComponent(".build/debug/annotty").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
    static var binaryAvailable: Bool { binary != nil }
    static let binaryMissingMessage = "the annotty binary is not built (run swift build, or set ANNOTTY_BINARY)"
    static var canRun: Bool { TmuxSession.available && binaryAvailable }

    let folder: URL
    let binary: String

    /// A project of the sample reviews (sample-data/reviews.jsonl) with the sentiment labels.
    static func sampleReviews() throws -> LabelTestProject {
        let root = SharedDatasets.repositoryRoot
        let project = try LabelTestProject()
        try project.annotty(["init", project.folder.path, "--labels", "positive,negative,neutral,mixed",
                             "--guidelines", root.appendingPathComponent("guidelines/sentiment.md").path, "--provider", "none"])
        try project.annotty(["import", root.appendingPathComponent("sample-data/reviews.jsonl").path, "-p", project.folder.path])
        return project
    }

    /// A project of the given texts (one JSONL row each) with labels positive and negative; in a
    /// PostgreSQL database when `storeURL` names one (`init --store`).
    static func texts(_ texts: [String], storeURL: String? = nil) throws -> LabelTestProject {
        try made(["--labels", "positive,negative"] + (storeURL.map { ["--store", $0] } ?? []), texts: texts)
    }

    /// A multi-label project (`init --task multi`) of the given texts (one JSONL row each).
    static func multiLabel(labels: String, texts: [String]) throws -> LabelTestProject {
        try made(["--task", "multi", "--labels", labels], texts: texts)
    }

    /// An entity-spans project (`init --task spans`) of the given texts (one JSONL row each),
    /// the entity types keyed 1, 2, ... in order.
    static func spans(types: String, texts: [String]) throws -> LabelTestProject {
        try made(["--task", "spans", "--labels", types], texts: texts)
    }

    /// `annotty init` with `initArguments` (and no LLM), then the texts imported as items t1, t2, ...
    private static func made(_ initArguments: [String], texts: [String]) throws -> LabelTestProject {
        let project = try LabelTestProject()
        try project.annotty(["init", project.folder.path] + initArguments + ["--provider", "none"])
        let rows = try texts.enumerated().map { index, text in
            String(decoding: try JSONSerialization.data(withJSONObject: ["id": "t\(index + 1)", "text": text]), as: UTF8.self)
        }
        let file = project.folder.appendingPathComponent("items.jsonl")
        try (rows.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        try project.annotty(["import", file.path, "-p", project.folder.path])
        return project
    }

    private init() throws {
        guard let binary = Self.binary else { throw E2EError(Self.binaryMissingMessage) }
        self.binary = binary
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    @discardableResult
    func annotty(_ arguments: [String]) throws -> String {
        let (status, text) = try CommandLineSurfaceTests.run(arguments, environment: nil)
        guard status == 0 else { throw E2EError("annotty \(arguments.joined(separator: " ")) failed: \(text)") }
        return text
    }

    func store() throws -> SQLiteStore {
        try SQLiteStore(path: folder.appendingPathComponent(Project.databaseFileName).path)
    }

    /// The project's store, whichever it is (SQLite in the folder or PostgreSQL).
    func anyStore() throws -> any AnnotationStore {
        try ProjectStore.open(Project.open(folder))
    }

    /// The shell command that runs `annotty label` with the given environment.
    func labelCommand(annotator: String, term: String = "screen-256color", locale: String = "C.UTF-8",
                      extraEnvironment: [String] = []) -> String {
        let environment = ["TERM=\(term)", "LANG=\(locale)", "LC_ALL=\(locale)"] + extraEnvironment
        return "env -u NO_COLOR \(environment.map(Self.shellQuote).joined(separator: " ")) "
            + "\(Self.shellQuote(binary)) label \(Self.shellQuote(folder.path)) --annotator \(Self.shellQuote(annotator))"
    }

    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension String {
    /// The "you N" figure of the status line (labels given this session), if the screen shows one.
    var labelledCount: Int? {
        guard let line = split(separator: "\n").first(where: { $0.hasPrefix(" you ") }) else { return nil }
        return Int(line.dropFirst(" you ".count).prefix { $0.isNumber })
    }

    /// The item id in the title bar ("item 17 (r0017)").
    var shownItemId: Int64? {
        guard let firstLine = split(separator: "\n").first, let range = firstLine.range(of: "item ") else { return nil }
        return Int64(firstLine[range.upperBound...].prefix { $0.isNumber })
    }
}
