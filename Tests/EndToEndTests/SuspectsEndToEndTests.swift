import AnnottyCore
import Foundation
import Testing

/// `annotty review --suspects` and the count in `stats`, through tmux with the real binary and database.
@Suite(.serialized,
       .enabled(if: TmuxSession.available, "\(TmuxSession.missingMessage)"),
       .enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct SuspectsEndToEndTests {
    static let words = [
        ["wonderful", "loved", "excellent", "great", "perfect", "delightful", "superb", "happy"],
        ["terrible", "hated", "broken", "awful", "useless", "refund", "disappointing", "worst"],
    ]

    /// Review i (1-based): odd ones praise, even ones complain, five of their eight words each.
    static func text(_ index: Int) -> String {
        let pool = words[(index - 1) % 2]
        return (0..<5).map { pool[(index + $0 * 3) % 8] }.joined(separator: " ") + ", review \(index)"
    }

    @Test func reviewSuspectsShowsTheGivenAndSuggestedLabelsAndEnterSavesTheSuggestion() throws {
        let project = try LabelTestProject.texts((1...30).map(Self.text))
        let store = try project.store()
        // alice labels every review right but item 9 (praise), which she calls negative.
        for itemId in Int64(1)...30 {
            let truth = itemId % 2 == 1 ? "positive" : "negative"
            try store.recordDecision(Decision(itemId: itemId, annotator: "alice", kind: .correct,
                                              label: itemId == 9 ? "negative" : truth))
        }
        let stats = try project.annotty(["stats", "-p", project.folder.path])
        #expect(stats.contains("likely label errors     1 of 30 decisions (review with: annotty review --suspects)"), "\(stats)")

        let tmux = try TmuxSession(command: AuditReviewEndToEndTests.command(project, "review --suspects --annotator carol"),
                                   directory: project.folder)
        defer { tmux.close() }
        let screen = try tmux.waitFor(text: "Suggested  ▸ positive  given negative")
        #expect(screen.contains(Self.text(9)))
        #expect(screen.contains("Votes      negative 1"))
        #expect(screen.contains("alice negative"))
        #expect(screen.contains("reviewed 0 · left 1 of 1 ·"))
        // The help says what Enter takes here: the suggestion, not an aggregate of votes.
        try tmux.send("?")
        let help = try tmux.waitFor(text: "accept the suggested label (the likelier one)")
        #expect(!help.contains("Dawid-Skene"))
        try tmux.send("Escape")
        _ = try tmux.waitFor(text: "Suggested  ▸ positive  given negative")
        try tmux.send("Enter")
        _ = try tmux.waitFor(text: "item 9 reviewed: final label positive")
        _ = try tmux.waitFor(text: "This review is done: 1 of 1 items settled.")
        try tmux.send("q")
        _ = try tmux.waitFor(text: "1 review decision(s) saved; 0 likely label errors left.")

        let saved = try store.allDecisions().filter { $0.kind == .adjudicate }
        #expect(saved.count == 1)
        #expect(saved.first?.itemId == 9 && saved.first?.label == "positive" && saved.first?.annotator == "carol")
        #expect(saved.first?.shownLabel == "positive")
        // Answered once, it is not flagged again.
        #expect(try project.annotty(["review", "--suspects", "-p", project.folder.path])
            .contains("no likely label errors among 30 decisions"))
    }

    @Test func reviewSuspectsSaysWhenThereAreTooFewDecisions() throws {
        let project = try LabelTestProject.texts((1...8).map(Self.text))
        let store = try project.store()
        for itemId in Int64(1)...8 {
            try store.recordDecision(Decision(itemId: itemId, annotator: "alice", kind: .correct,
                                              label: itemId % 2 == 1 ? "positive" : "negative"))
        }
        let output = try project.annotty(["review", "--suspects", "-p", project.folder.path])
        #expect(output.contains("too few decisions to look for label errors: 8 items labelled by people, at least 20 needed"))
    }
}
