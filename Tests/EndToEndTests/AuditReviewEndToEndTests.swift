import AnnottyCore
import Foundation
import Testing

/// `annotty audit` and `annotty review` driven through tmux with the real binary and database.
@Suite(.serialized,
       .enabled(if: TmuxSession.available, "\(TmuxSession.missingMessage)"),
       .enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct AuditReviewEndToEndTests {
    static func command(_ project: LabelTestProject, _ arguments: String) -> String {
        "env TERM=screen-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \(LabelTestProject.shellQuote(project.binary)) \(arguments)"
            + " -p \(LabelTestProject.shellQuote(project.folder.path))"
    }

    @Test func anAuditRecordsItsDecisionsAndStatsShowsTheEstimate() throws {
        let project = try LabelTestProject.texts((1...8).map { "Auto-accepted review number \($0), quite fine." })
        let store = try project.store()
        for itemId in Int64(1)...8 {
            try store.recordDecision(Decision(itemId: itemId, annotator: RoutingPass.routerName, kind: .auto, label: "positive",
                                              shownConfidence: 0.97, shownSource: .llm))
        }
        let tmux = try TmuxSession(command: Self.command(project, "audit --sample 5 --seed 3 --annotator auditor"),
                                   directory: project.folder)
        defer { tmux.close() }
        let first = try tmux.waitFor(text: "auto-accepted; Enter confirms")
        #expect(first.split(separator: "\n")[0].contains("· audit"))
        #expect(!first.contains("0.97"), "an audit must not show the confidence")
        // Confirm four, correct one.
        for (index, key) in ["Enter", "Enter", "2", "Enter", "Enter"].enumerated() {
            try tmux.send(key)
            let screen = try tmux.waitFor(text: "audited \(index + 1) · left \(4 - index) of 5 ·")
            // The confirmation names the label and the verdict.
            #expect(screen.contains(key == "2" ? "audit: corrected positive → negative" : "audit: confirmed positive"))
        }
        // The end of the sample says so, rather than waiting for new items.
        let done = try tmux.waitFor(text: "The audit sample is done: 5 of 5 items checked.")
        #expect(!done.contains("Nothing left to label"))
        try tmux.send("q")
        // The printed report, waited for by its last line (the screen's own last line also
        // mentions the estimate). Errors this common cannot be bounded by auditing more: it says
        // so (issue 12).
        let finished = try tmux.waitFor(text: "the threshold has to go up")
        #expect(finished.contains("audited 5, 1 wrong"))
        #expect(finished.contains("estimated error rate 20.0% (95% Wilson interval 3.6% to 62.4%)"))
        #expect(finished.contains("at the observed rate (20.0%) more audits cannot bound it below 5.0%;"))

        let audits = try store.allDecisions().filter { $0.kind == .audit }
        #expect(audits.count == 5 && audits.allSatisfy { $0.annotator == "auditor" })
        #expect(audits.filter { $0.label == "negative" }.count == 1)
        #expect(audits.allSatisfy { $0.shownLabel == "positive" })
        let stats = try project.annotty(["stats", "-p", project.folder.path])
        #expect(stats.contains("5 audited, 1 wrong: error rate 20.0% (95% Wilson 3.6%–62.4%)"))
    }

    @Test func reviewResolvesThreeDisagreementsAndTheExportCarriesThem() throws {
        let project = try LabelTestProject.texts(["Loved it, mostly.", "It broke, but support was great.", "Meh.", "Agreed item."])
        let store = try project.store()
        for (itemId, first, second) in [(Int64(1), "positive", "negative"), (2, "negative", "positive"), (3, "positive", "negative"),
                                        (4, "positive", "positive")] {
            try store.recordDecision(Decision(itemId: itemId, annotator: "alice", kind: .correct, label: first))
            try store.recordDecision(Decision(itemId: itemId, annotator: "bob", kind: .correct, label: second))
        }
        let tmux = try TmuxSession(command: Self.command(project, "review --annotator carol"), directory: project.folder)
        defer { tmux.close() }
        let screen = try tmux.waitFor(text: "alice positive   bob negative")
        #expect(screen.contains("Loved it, mostly."))
        #expect(screen.contains("Votes      positive 1 · negative 1"))
        #expect(screen.contains("reviewed 0 · left 3 of 3 ·"))
        for (index, key) in ["1", "2", "1"].enumerated() {
            try tmux.send(key)
            _ = try tmux.waitFor(text: "reviewed \(index + 1) · left \(2 - index) of 3 ·")
        }
        try tmux.send("q")
        _ = try tmux.waitFor(text: "3 review decision(s) saved; 0 disagreements left.")

        let output = project.folder.appendingPathComponent("out.jsonl").path
        try project.annotty(["export", "-p", project.folder.path, "--format", "jsonl", "-o", output])
        let rows = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let finals = rows.map { (($0["annotty"] as? [String: Any])?["label"] as? String, ($0["annotty"] as? [String: Any])?["decided_by"] as? String) }
        #expect(finals[0].0 == "positive" && finals[0].1 == "adjudicate")
        #expect(finals[1].0 == "negative" && finals[1].1 == "adjudicate")
        #expect(finals[2].0 == "positive" && finals[2].1 == "adjudicate")
        #expect(finals[3].0 == "positive")
    }

    @Test func reviewShowsTheTallyAndEnterAcceptsTheMajority() throws {
        let project = try LabelTestProject.texts(["Seven say positive, three say negative."])
        let store = try project.store()
        for person in 0..<10 {
            try store.recordDecision(Decision(itemId: 1, annotator: "worker\(person)", kind: .imported,
                                              label: person < 7 ? "positive" : "negative"))
        }
        // 7 to 3 is not a close vote.
        #expect(try project.annotty(["review", "--close", "-p", project.folder.path]).contains("no disagreements to review"))
        let tmux = try TmuxSession(command: Self.command(project, "review --annotator carol"), directory: project.folder)
        defer { tmux.close() }
        let screen = try tmux.waitFor(text: "Votes      positive 7 · negative 3")
        #expect(screen.contains("Suggested  ▸ positive  majority vote"))
        let lines = screen.split(separator: "\n").map(String.init)
        let list = lines.filter { $0.contains("worker") }
        #expect(!list.isEmpty && list.allSatisfy { $0.count <= 80 })
        #expect(list.last?.contains(" more") == true)
        try tmux.send("?")
        let help = try tmux.waitFor(text: "accept the suggested final label")
        #expect(!help.contains("accept the pre-label"))
        try tmux.send("Escape")
        _ = try tmux.waitFor(text: "Votes      positive 7")
        try tmux.send("Enter")
        _ = try tmux.waitFor(text: "item 1 reviewed: final label positive")
        _ = try tmux.waitFor(text: "This review is done: 1 of 1 items settled.")
        try tmux.send("q")
        _ = try tmux.waitFor(text: "1 review decision(s) saved; 0 disagreements left.")
        let adjudicated = try store.allDecisions().filter { $0.kind == .adjudicate }
        #expect(adjudicated.count == 1 && adjudicated[0].label == "positive" && adjudicated[0].shownLabel == "positive")
    }
}
