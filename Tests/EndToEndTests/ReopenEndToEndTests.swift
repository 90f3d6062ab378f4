import AnnottyCore
import Foundation
import Testing

/// Reopening `annotty label` puts the annotator back on the item they left, after a quit and
/// after the process is killed (as a lost SSH connection does), even when the queue was
/// re-ranked in between.
@Suite(.serialized,
       .enabled(if: TmuxSession.available, "\(TmuxSession.missingMessage)"),
       .enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct ReopenEndToEndTests {
    /// Labels items 1 and 2 and leaves item 3 on screen; returns the session.
    func labelTwo(_ project: LabelTestProject) throws -> TmuxSession {
        let tmux = try TmuxSession(command: project.labelCommand(annotator: "ann"), directory: project.folder)
        try tmux.waitFor("item 1 on screen") { $0.shownItemId == 1 }
        try tmux.send("1")
        try tmux.waitFor("item 2 on screen") { $0.shownItemId == 2 }
        try tmux.send("2")
        try tmux.waitFor("item 3 on screen") { $0.shownItemId == 3 && $0.labelledCount == 2 }
        return tmux
    }

    /// Opens the project again and returns the first item it shows and the status line.
    func reopen(_ project: LabelTestProject) throws -> (itemId: Int64?, screen: String) {
        let tmux = try TmuxSession(command: project.labelCommand(annotator: "ann"), directory: project.folder)
        defer { tmux.close() }
        let screen = try tmux.waitFor("an item and the project's progress") { $0.shownItemId != nil && $0.contains("project 2/300") }
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)
        return (screen.shownItemId, screen)
    }

    @Test func afterAKillTheItemLeftOnScreenComesBackFirst() throws {
        let project = try LabelTestProject.sampleReviews()
        let tmux = try labelTwo(project)
        defer { tmux.close() }
        #expect(kill(try tmux.commandPID(), SIGKILL) == 0)
        #expect(try tmux.waitForExit() == 128 + SIGKILL)
        // A re-rank in between puts other items at the front of the queue.
        try project.store().replaceQueueOrder((Int64(4)...300).reversed())
        let reopened = try reopen(project)
        #expect(reopened.itemId == 3)
        // The saved progress shows at once; this session has given no label yet.
        #expect(reopened.screen.contains(" you 0 · project 2/300 (0%) · "))
    }

    @Test func afterAQuitTheItemLeftOnScreenComesBackFirst() throws {
        let project = try LabelTestProject.sampleReviews()
        let tmux = try labelTwo(project)
        defer { tmux.close() }
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)
        try project.store().replaceQueueOrder((Int64(4)...300).reversed())
        #expect(try reopen(project).itemId == 3)
        // The items claimed ahead were given back; only the one on screen stays reserved.
        let others = try project.store().claimNextItems(annotator: "bob", limit: 297, excluding: [], leaseSeconds: 60)
        #expect(others.count == 297)
        #expect(!others.map(\.item.id).contains(3))
    }
}
