import AnnottyCore
import AnnottyTestSupport
import Foundation
import Synchronization
import Testing

/// Sixteen labeling processes on one project for two minutes, driven headlessly through the same
/// reducer and controller as the screen, with an import and exports running beside them: nothing
/// lost, nothing duplicated, overlap respected, and no store error ("database is locked") ever
/// shown to a person. The same test on SQLite and on PostgreSQL.
@Suite(.serialized, .enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct ConcurrentLabelingTests {
    static let processes = 16
    static let seconds = 120.0
    static var stores: [String] { TestPostgres.available ? ["sqlite", "postgres"] : ["sqlite"] }

    @Test(.timeLimit(.minutes(6)), arguments: stores)
    func sixteenProcessesForTwoMinutesLoseAndDuplicateNothing(store kind: String) throws {
        let project = try LabelTestProject.texts((1...4000).map { "Concurrent item \($0): the battery lasts a while." },
                                                 storeURL: kind == "postgres" ? try TestPostgres.freshDatabaseURL() : nil)
        // Two people per item; a third when the first two disagree.
        let configURL = project.folder.appendingPathComponent("annotty.toml")
        var config = try String(contentsOf: configURL, encoding: .utf8)
        config = ConfigFileEditor.setting("overlap", to: "2", inSection: "annotation", of: config)
        config = ConfigFileEditor.setting("max_overlap", to: "3", inSection: "annotation", of: config)
        try config.write(to: configURL, atomically: true, encoding: .utf8)
        let more = project.folder.appendingPathComponent("more.jsonl")
        try (1...500).map { "{\"id\": \"m\($0)\", \"text\": \"Imported while people label, number \($0).\"}" }
            .joined(separator: "\n").write(to: more, atomically: true, encoding: .utf8)

        var running: [(process: Process, log: String, errors: Pipe)] = []
        for index in 0..<Self.processes {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: project.binary)
            let log = project.folder.appendingPathComponent("drive-\(index).log").path
            process.arguments = ["drive", "-p", project.folder.path, "--annotator", "worker\(index)", "--seconds", String(Self.seconds),
                                 "--pace-ms", "40", "--seed", String(index + 1), "--log", log]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            running.append((process, log, errors))
        }
        // Beside them: an import of 500 more items and an export every 25 s, each through the binary.
        let sidecar = DispatchGroup()
        let sideFailures = FailureList()
        DispatchQueue.global().async(group: sidecar) {
            let started = Date()
            var imported = false
            var exports = 0
            while Date().timeIntervalSince(started) < Self.seconds - 10 {
                Thread.sleep(forTimeInterval: 25)
                do {
                    if !imported {
                        let said = try project.annotty(["import", more.path, "-p", project.folder.path])
                        if !said.contains("imported 500 items") { sideFailures.append("import said: \(said)") }
                        imported = true
                    }
                    let out = project.folder.appendingPathComponent("export-\(exports).jsonl")
                    try project.annotty(["export", "-p", project.folder.path, "--format", "jsonl", "-o", out.path])
                    let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").count
                    if lines < 4000 { sideFailures.append("an export had \(lines) lines") }
                    exports += 1
                } catch {
                    sideFailures.append("\(error)")
                }
            }
        }
        var logged: [(id: Int64, itemId: Int64, annotator: String, kind: String, label: String)] = []
        for (index, entry) in running.enumerated() {
            let stderr = String(decoding: entry.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            entry.process.waitUntilExit()
            #expect(entry.process.terminationStatus == 0, "worker\(index) exited \(entry.process.terminationStatus): \(stderr)")
            #expect(!stderr.contains("locked"), "worker\(index) saw: \(stderr)")
            for line in try String(contentsOfFile: entry.log, encoding: .utf8).split(separator: "\n") {
                let parts = line.split(separator: " ").map(String.init)
                logged.append((Int64(parts[0])!, Int64(parts[1])!, "worker\(index)", parts[2], parts[3]))
            }
        }
        sidecar.wait()
        #expect(sideFailures.all.isEmpty, "\(sideFailures.all)")
        #expect(logged.count > 2000, "the workers labelled \(logged.count) items")

        let store = try project.anyStore()
        #expect(try store.statusCounts().items == 4500)
        let effective = try store.effectiveDecisions()
        // Nothing lost: every decision a worker saw committed is in the database as it was.
        let byId = Dictionary(uniqueKeysWithValues: effective.map { ($0.id, $0) })
        for entry in logged {
            let stored = try #require(byId[entry.id], "decision \(entry.id) of \(entry.annotator) is missing")
            #expect(stored.itemId == entry.itemId && stored.annotator == entry.annotator && stored.kind.rawValue == entry.kind
                    && (stored.label ?? "-") == entry.label)
        }
        // Nothing duplicated: as many rows as committed decisions, and one label per person per item.
        #expect(effective.count == logged.count)
        #expect(Set(logged.map(\.id)).count == logged.count)
        let pairs = effective.map { "\($0.itemId)/\($0.annotator)" }
        #expect(Set(pairs).count == pairs.count)
        // Overlap: two agreeing people close an item; a disagreement brings a third, never a fourth.
        let byItem = Dictionary(grouping: effective.filter { $0.kind.carriesLabel }, by: \.itemId)
        var thirds = 0
        for (itemId, decisions) in byItem {
            let ordered = decisions.sorted { $0.id < $1.id }
            #expect(ordered.count <= 3, "item \(itemId) has \(ordered.count) labels")
            if ordered.count == 3 {
                thirds += 1
                #expect(ordered[0].label != ordered[1].label, "item \(itemId) got a third label after agreement")
            }
        }
        #expect(thirds > 0)
    }
}

/// Failures seen on another thread, read when it is done.
final class FailureList: Sendable {
    private let list = Mutex<[String]>([])
    func append(_ failure: String) { list.withLock { $0.append(failure) } }
    var all: [String] { list.withLock { $0 } }
}
