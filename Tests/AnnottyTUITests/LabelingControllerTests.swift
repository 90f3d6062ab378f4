import Synchronization
import Foundation
import Testing
import AnnottyCore
@testable import AnnottyTUI

/// A memory screen that, every time a frame is shown, checks that the "done N" it shows is
/// backed by N effective decisions in the store.
final class CommitCheckingScreen: Screen {
    let inner: MemoryScreen
    var check: ((MemoryScreen) -> Void)?

    init(size: ScreenSize) {
        inner = MemoryScreen(size: size)
    }

    var size: ScreenSize { inner.size }
    var capabilities: TerminalCapabilities { inner.capabilities }
    func clear() { inner.clear() }
    func put(_ glyph: Glyph, row: Int, column: Int, role: TextRole) { inner.put(glyph, row: row, column: column, role: role) }
    func present() {
        inner.present()
        check?(inner)
    }
}

/// Collects what the session's hooks receive, from any thread.
final class HookRecorder: LabelingObserver {
    private let upcomingCalls = Mutex<[[Int64]]>([])
    private let decisionCalls = Mutex<[Decision]>([])

    func upcomingChanged(_ ids: [Int64]) { upcomingCalls.withLock { $0.append(ids) } }
    func decisionCommitted(_ decision: Decision) { decisionCalls.withLock { $0.append(decision) } }
    var upcoming: [[Int64]] { upcomingCalls.withLock { $0 } }
    var decisions: [Decision] { decisionCalls.withLock { $0 } }
}

@Suite final class LabelingControllerTests {
    let folder: URL
    let store: SQLiteStore

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-tui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteStore(path: folder.appendingPathComponent("annotty.sqlite").path)
        _ = try store.importItems { sink in
            for number in 1...20 { try sink.add(ImportRecord(externalId: "r\(number)", text: "Review number \(number).")) }
        }
    }

    func controller(annotator: String = "alice", recorder: HookRecorder? = nil, screen: any Screen) -> LabelingController {
        var setup = Fixtures.setup(lookahead: 4)
        setup.annotator = annotator
        let session = LabelingSession(store: store, setup: setup, leaseSeconds: 600, observer: recorder)
        var time: TimeInterval = 1000
        return LabelingController(session: session, screen: screen, clock: { time += 0.25; return time }, countsQueue: nil)
    }

    func press(_ controller: LabelingController, _ keys: [KeyPress]) {
        for key in keys {
            controller.handleKey(key)
            controller.renderIfNeeded()
            if controller.runDeferred() { controller.renderIfNeeded() }
        }
    }

    func shownItemId(_ screen: MemoryScreen) -> Int64? {
        guard let range = screen.lines[0].range(of: "item ") else { return nil }
        return Int64(screen.lines[0][range.upperBound...].prefix { $0.isNumber })
    }

    @Test func everyDecisionShownAsDoneIsAlreadyInTheStore() throws {
        let screen = CommitCheckingScreen(size: ScreenSize(rows: 24, columns: 80))
        var framesChecked = 0
        let store = self.store
        screen.check = { memory in
            let status = memory.lines[22]
            guard let range = status.range(of: "you ") else { return }
            let labelled = Int(status[range.upperBound...].prefix { $0.isNumber }) ?? -1
            let committed = (try? store.effectiveDecisions().filter { $0.annotator == "alice" && $0.kind.carriesLabel }.count) ?? -2
            #expect(labelled == committed, "frame \(framesChecked): screen says you \(labelled), store has \(committed)")
            framesChecked += 1
        }
        let controller = controller(screen: screen)
        controller.start()
        controller.renderIfNeeded()
        press(controller, [.character("1"), .character("2"), .character("s"), .character("u"), .character("u"),
                           .character("3"), .character("f"), .character("x"), .enter, .character("1")])
        #expect(framesChecked >= 10)
        // Four items moved past (a flag among them), three of them labelled.
        #expect(controller.state.counters.done == 4)
        #expect(controller.state.counters.labelled == 3)
    }

    @Test func labelingTwentyItemsWritesOneRowPerDecisionInOrder() throws {
        let screen = MemoryScreen(size: ScreenSize(rows: 24, columns: 80))
        let recorder = HookRecorder()
        let controller = controller(recorder: recorder, screen: screen)
        controller.start()
        controller.renderIfNeeded()
        controller.runDeferred()
        #expect(shownItemId(screen) == 1)
        // 1: positive, 2: negative, 3: skip, 4: neutral then undo twice (4 and 3 come back),
        // 3: positive, 4: flag "dup", then items 5-20 by hand.
        press(controller, [.character("1"), .character("2"), .character("s"), .character("3"), .character("u"), .character("u")])
        #expect(shownItemId(screen) == 3)
        #expect(screen.lines[21].contains("undid skip of item 3"))
        press(controller, [.character("1"), .character("f")] + Array("dup".map { KeyPress.character($0) }) + [.enter])
        for number in 5...20 { press(controller, [.character(number % 2 == 0 ? "1" : "2")]) }
        #expect(screen.lines[2].contains("Nothing left to label"))
        press(controller, [.character("q")])
        #expect(controller.isFinished)

        let rows = try store.allDecisions()
        let summary = rows.map { "\($0.itemId) \($0.kind.rawValue) \($0.label ?? "-") \($0.undoesDecisionId.map(String.init) ?? "-") \($0.note ?? "-")" }
        let expected = [
            "1 correct positive - -", "2 correct negative - -", "3 skip - - -", "4 correct neutral - -",
            "4 undo - 4 -", "3 undo - 3 -", "3 correct positive - -", "4 flag - - dup",
        ] + (5...20).map { "\($0) correct \($0 % 2 == 0 ? "positive" : "negative") - -" }
        #expect(summary == expected)
        #expect(rows.allSatisfy { $0.annotator == "alice" && $0.shownLabel == nil && $0.predictionId == nil })
        #expect(rows.filter { $0.kind != .undo }.allSatisfy { $0.timeSpentMs > 0 })
        // The hooks heard of every decision, the undos included, and of the items in line.
        #expect(recorder.decisions.map(\.kind) == rows.map(\.kind))
        #expect(recorder.upcoming.first == [1, 2, 3, 4, 5])
        #expect(recorder.upcoming.last == [])
    }

    @Test func undoReachesBackIntoAnEarlierSession() throws {
        let first = controller(screen: MemoryScreen(size: ScreenSize(rows: 24, columns: 80)))
        first.start()
        press(first, [.character("2"), .character("q")])
        let screen = MemoryScreen(size: ScreenSize(rows: 24, columns: 80))
        let second = controller(screen: screen)
        second.start()
        second.renderIfNeeded()
        #expect(shownItemId(screen) == 2)
        press(second, [.character("u")])
        #expect(shownItemId(screen) == 1)
        #expect(try store.allDecisions().map(\.kind) == [.correct, .undo])
    }

    @Test func aPredictionPostedFromAnotherThreadIsShownAndAccepted() async throws {
        let screen = MemoryScreen(size: ScreenSize(rows: 24, columns: 80))
        let controller = controller(screen: screen)
        controller.start()
        controller.renderIfNeeded()
        #expect(screen.lines[19].contains("no prediction available"))
        let saved = try store.savePrediction(Fixtures.prediction(itemId: 1, label: "negative", confidence: 0.8, source: .learner, id: 0))
        let inbox = controller.session.inbox
        await Task.detached { inbox.post(.prediction(saved)) }.value
        inbox.post(.llmStatus(LLMStatus(state: .failing, reason: "HTTP 429, retrying in 4 s", queueDepth: 2)))
        controller.drainInbox()
        controller.renderIfNeeded()
        // The reason gets a row of its own above the status line, so nothing cuts it.
        #expect(screen.lines[18] == " Pre-label  ▸ negative  0.80 ████████░░  from the task learner")
        #expect(screen.lines[21] == " LLM: HTTP 429, retrying in 4 s")
        #expect(screen.lines[22] == " you 0 · project 0/20 (0%) · -/h · auto 0 · queue 2 · LLM failing")
        press(controller, [.enter])
        let decision = try #require(store.allDecisions().first)
        #expect(decision.kind == .accept)
        #expect(decision.label == "negative")
        #expect(decision.shownLabel == "negative")
        #expect(decision.shownConfidence == 0.8)
        #expect(decision.shownSource == .learner)
        #expect(decision.predictionId == saved.id)
    }

    @Test func quittingReleasesTheItemsClaimedAhead() throws {
        let alice = controller(screen: MemoryScreen(size: ScreenSize(rows: 24, columns: 80)))
        alice.start()
        #expect(try store.claimNextItems(annotator: "bob", limit: 1, excluding: [], leaseSeconds: 600).first?.item.id == 6)
        press(alice, [.character("q")])
        // Item 1, left on alice's screen, stays hers; the others she had claimed go to carol.
        #expect(try store.claimNextItems(annotator: "carol", limit: 1, excluding: [], leaseSeconds: 600).first?.item.id == 2)
    }

    @Test func statusCountsComeFromTheStore() throws {
        let screen = MemoryScreen(size: ScreenSize(rows: 24, columns: 80))
        let controller = controller(screen: screen)
        controller.start()
        press(controller, [.character("1"), .character("2")])
        #expect(screen.lines[22].hasPrefix(" you 2 · project 2/20 (10%) · "))
    }
}

@Suite struct LabelingSessionTests {
    @Test func aSessionOnAProjectTakesItsKeysLabelsAndGuidelines() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = ProjectConfig(name: "Keys test", labels: Fixtures.sentimentLabels, guidelines: "guide.md")
        config.keys = ["skip": ["n"], "accept": ["a", "Enter"]]
        try ConfigTemplate.render(config).write(to: folder.appendingPathComponent(ProjectConfig.fileName), atomically: true, encoding: .utf8)
        try Fixtures.guidelinesMarkdown.write(to: folder.appendingPathComponent("guide.md"), atomically: true, encoding: .utf8)
        let project = try Project.open(folder)
        let session = try LabelingSession(project: project, store: try project.createStore(), annotator: "kim",
                                          guidelines: try project.loadGuidelines())
        let keymap = session.setup.keymap
        #expect(keymap.command(for: .character("n")) == .action(.skip))
        #expect(keymap.command(for: .character("s")) == nil)
        #expect(keymap.command(for: .character("a")) == .action(.accept))
        #expect(keymap.command(for: .character(" ")) == nil)
        #expect(session.setup.projectName == "Keys test")
        #expect(session.setup.definition(of: Fixtures.sentimentLabels.labels[2]) == "No clear attitude, a mixed verdict, or only facts.")
        #expect(FooterView.line(keymap, width: 78).runs.map(\.glyphs.text).joined()
            == "a accept  1-3 label  n skip  u undo  f flag  g guidelines  ? help  q quit")
    }

    @Test func clashingKeysInTheConfigAreRefusedWithTheReason() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = ProjectConfig(name: "Clash", labels: Fixtures.sentimentLabels)
        config.keys = ["undo": ["2"]]
        try ConfigTemplate.render(config).write(to: folder.appendingPathComponent(ProjectConfig.fileName), atomically: true, encoding: .utf8)
        let project = try Project.open(folder)
        #expect(throws: KeymapError("key 2 is bound to both undo and label negative; change one of them in annotty.toml")) {
            try LabelingSession(project: project, store: try project.createStore(), annotator: "kim")
        }
    }
}
