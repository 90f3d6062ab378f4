import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// `annotty audit --report` on a multi-label project through the built binary: the whole-set
/// estimate and, under it, each label's.
@Suite(.enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct MultiLabelAuditReportTests {
    static let labels = LabelSet(names: ["joy", "sadness", "anger"])

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try CommandLineSurfaceTests.run(arguments, environment: nil)
    }

    @Test func theReportGivesWholeSetsAndEachLabel() throws {
        let dir = try TemporaryDirectory()
        let folder = dir.path("emotions")
        let items = dir.path("items.jsonl")
        try (["one", "two", "three", "four"].enumerated().map { #"{"id":"t\#($0.offset)","text":"\#($0.element)"}"# }
            .joined(separator: "\n") + "\n").write(toFile: items, atomically: true, encoding: .utf8)
        #expect(try Self.run(["init", folder, "--task", "multi", "--labels", "joy,sadness,anger", "--provider", "none"]).status == 0)
        #expect(try Self.run(["import", items, "-p", folder]).status == 0)
        #expect(try Self.run(["audit", "--report", "-p", folder]).output == "no audits yet\n")

        let store = try SQLiteStore(path: URL(fileURLWithPath: folder).appendingPathComponent(Project.databaseFileName).path)
        func set(_ names: [String]) -> String { MultiLabelAnswer(names, labels: Self.labels).encoded }
        let accepted: [(Int64, [String], [String]?)] = [
            (1, ["joy"], ["joy"]), (2, ["joy", "sadness"], ["joy"]), (3, [], ["anger"]), (4, ["anger"], nil),
        ]
        for (itemId, autoSet, _) in accepted {
            try store.recordDecision(Decision(itemId: itemId, annotator: RoutingPass.routerName, kind: .auto, label: set(autoSet),
                                              shownLabel: set(autoSet), shownConfidence: 0.97))
        }
        for (itemId, _, audited) in accepted {
            guard let audited else { continue }
            try store.recordDecision(Decision(itemId: itemId, annotator: "auditor", kind: .audit, label: set(audited)))
        }
        let report = try Self.run(["audit", "--report", "-p", folder])
        #expect(report.status == 0, "\(report.output)")
        let lines = report.output.split(separator: "\n").map(String.init)
        #expect(lines.contains("auto-accepted: 4 items; audited 3, 2 wrong"))
        #expect(lines.contains { $0.hasPrefix("estimated error rate 66.7% (95% Wilson interval 20.8% to 93.9%)") })
        #expect(lines.contains("whole sets: an item is wrong when the auditor's set differs in any label"))
        #expect(lines.contains("per label, of 3 audited items (wrongly in the set, wrongly out of it):"))
        #expect(lines.contains("  joy        0 wrong: 0 in, 0 out    0.0% (0.0% to 56.1%)"))
        #expect(lines.contains("  sadness    1 wrong: 1 in, 0 out   33.3% (6.1% to 79.2%)"))
        #expect(lines.contains("  anger      1 wrong: 0 in, 1 out   33.3% (6.1% to 79.2%)"))
        #expect(lines.allSatisfy { $0.count <= 80 || $0.hasPrefix("proposal:") })

        // Errors this common cannot be bounded: the proposal takes auto-accepting off, and --apply
        // sends the one unaudited set back to people.
        #expect(lines.contains("proposal: raise auto_accept from 0.95 to 1; 1 auto-accepted items below it go back to people"))
        let applied = try Self.run(["audit", "--report", "--apply", "-p", folder])
        #expect(applied.status == 0, "\(applied.output)")
        #expect(applied.output.contains("1 items re-queued"))
        #expect(try store.openItemIds(limit: 10) == [4])
        #expect(try store.decisions(itemId: 4).map(\.kind) == [.auto, .undo])

    }
}
