import Foundation
import Testing
import AnnottyCore
@testable import AnnottyTUI

/// The multi-label screen against a real SQLite store: the encoded set reaches the decisions
/// table unchanged, and undo reaching into an earlier session brings the item back with the
/// set it was given.
@Suite final class MultiLabelControllerTests {
    typealias F = MultiLabelFixtures
    let folder: URL
    let store: SQLiteStore

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-multi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteStore(path: folder.appendingPathComponent("annotty.sqlite").path)
        _ = try store.importItems { sink in
            for number in 1...5 { try sink.add(ImportRecord(externalId: "m\(number)", text: "Message number \(number).")) }
        }
    }

    func controller(screen: MemoryScreen) -> LabelingController {
        let session = LabelingSession(store: store, setup: F.setup(), leaseSeconds: 600)
        var time: TimeInterval = 1000
        return LabelingController(session: session, screen: screen, clock: { time += 0.25; return time }, countsQueue: nil)
    }

    func press(_ controller: LabelingController, _ keys: [String]) {
        for name in keys {
            controller.handleKey(KeyPress(name: name)!)
            controller.renderIfNeeded()
            if controller.runDeferred() { controller.renderIfNeeded() }
        }
    }

    @Test func setsAreStoredAsTheyWereTickedAndUndoInALaterSessionTicksTheGivenSetAgain() throws {
        let screen = MemoryScreen(size: ScreenSize(rows: 24, columns: 80), capabilities: .ascii)
        let first = controller(screen: screen)
        first.start()
        first.renderIfNeeded()
        press(first, ["4", "1", "Enter", "Enter", "q"])
        #expect(try store.allDecisions().map { "\($0.itemId) \($0.kind.rawValue) \($0.label ?? "-")" }
                == [#"1 correct ["anger","sadness"]"#, "2 correct []"])

        let later = MemoryScreen(size: ScreenSize(rows: 24, columns: 80), capabilities: .ascii)
        let second = controller(screen: later)
        second.start()
        second.renderIfNeeded()
        #expect(second.state.current?.item.id == 3)
        press(second, ["u"])
        #expect(second.state.current?.item.id == 2)
        #expect(second.state.selectedIndices.isEmpty)
        press(second, ["u"])
        #expect(second.state.current?.item.id == 1)
        #expect(second.state.selectedIndices == [0, 3])
        #expect(later.text.contains("[x] 1 anger"))
        #expect(later.text.contains("[x] 4 sadness"))
        #expect(later.text.contains("[ ] 2 fear"))
        // Untick anger, tick joy, save: the new set replaces the undone one.
        press(second, ["1", "3", "Enter"])
        let rows = try store.allDecisions()
        #expect(rows.map { "\($0.itemId) \($0.kind.rawValue) \($0.label ?? "-")" } == [
            #"1 correct ["anger","sadness"]"#, "2 correct []", "2 undo -", "1 undo -", #"1 correct ["joy","sadness"]"#,
        ])
        #expect(rows[2].undoesDecisionId == rows[1].id)
        #expect(rows[3].undoesDecisionId == rows[0].id)
    }
}
