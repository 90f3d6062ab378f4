import AnnottyCore
import Foundation
import Testing

/// Eight labeling processes on one project for a minute, driven headlessly through the same
/// reducer and controller as the screen: nothing lost, nothing duplicated, overlap respected,
/// and no store error ("database is locked") ever shown to a person.
@Suite(.enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct ConcurrentLabelingTests {
    static let processes = 8
    static let seconds = 62.0

    @Test(.timeLimit(.minutes(5)))
    func eightProcessesForAMinuteLoseAndDuplicateNothing() throws {
        let project = try LabelTestProject.texts((1...4000).map { "Concurrent item \($0): the battery lasts a while." })
        // Two people per item; a third when the first two disagree.
        let configURL = project.folder.appendingPathComponent("annotty.toml")
        var config = try String(contentsOf: configURL, encoding: .utf8)
        config = ConfigFileEditor.setting("overlap", to: "2", inSection: "annotation", of: config)
        config = ConfigFileEditor.setting("max_overlap", to: "3", inSection: "annotation", of: config)
        try config.write(to: configURL, atomically: true, encoding: .utf8)

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
        #expect(logged.count > 2000, "the workers labelled \(logged.count) items")

        let store = try project.store()
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
