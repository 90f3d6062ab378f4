import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// The PostgreSQL server dies under a labeling screen and comes back: the screen says so and keeps
/// the decision on screen, saves it once the server is back, and every decision shown as done is
/// in the database once. A cluster of the test's own, so the other tests' server stays up.
@Suite(.serialized,
       .enabled(if: TmuxSession.available, "\(TmuxSession.missingMessage)"),
       .enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"),
       .enabled(if: TestPostgres.available, "\(TestPostgres.missingMessage)"))
struct PostgresRestartEndToEndTests {
    @Test(.timeLimit(.minutes(3)))
    func aDecisionMadeWhileTheServerIsDownIsSavedOnceWhenItIsBack() throws {
        let cluster = try OwnPostgresCluster()
        let project = try LabelTestProject.texts((1...6).map { "Restart item \($0)." }, storeURL: cluster.url)
        let tmux = try TmuxSession(command: project.labelCommand(annotator: "rita"), directory: project.folder)
        defer { tmux.close() }
        var screen = try tmux.waitFor("the first item") { $0.shownItemId != nil && $0.labelledCount == 0 }
        var shownDone: [(itemId: Int64, label: String)] = []

        func label(_ key: String, _ name: String) throws {
            let itemId = try #require(screen.shownItemId)
            try tmux.send(key)
            let want = shownDone.count + 1
            screen = try tmux.waitFor("item \(itemId) saved") { $0.labelledCount == want && $0.shownItemId != itemId }
            shownDone.append((itemId, name))
        }

        try label("1", "positive")
        try cluster.kill()
        // The decision on screen cannot be saved: the screen says why and stays on the item.
        let waiting = try #require(screen.shownItemId)
        try tmux.send("2")
        screen = try tmux.waitFor(text: "Not saved yet")
        #expect(screen.shownItemId == waiting && screen.labelledCount == 1, "\(screen)")
        // Another key meanwhile makes no second decision.
        try tmux.send("1")
        try cluster.start()
        screen = try tmux.waitFor("the kept decision saved once the server is back") {
            $0.labelledCount == 2 && $0.shownItemId != waiting && !$0.contains("Not saved yet")
        }
        shownDone.append((waiting, "negative"))
        try label("1", "positive")
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)

        let decisions = try project.anyStore().allDecisions()
        #expect(decisions.map(\.itemId) == shownDone.map(\.itemId), "\(decisions)")
        #expect(decisions.map { $0.label ?? "-" } == shownDone.map(\.label))
        #expect(decisions.allSatisfy { $0.annotator == "rita" && $0.kind == .correct })
    }
}
