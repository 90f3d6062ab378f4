import Foundation
import Testing
import AnnottyCore
@testable import AnnottyTUI

/// The spans screen against a real SQLite store: the committed spans reach `decision_spans` with
/// the item's text, and undo reaching into an earlier session brings the item back with the
/// spans it was given, to change and save again.
@Suite final class SpanControllerTests {
    typealias F = SpanFixtures
    let folder: URL
    let store: SQLiteStore

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-spans-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteStore(path: folder.appendingPathComponent("annotty.sqlite").path)
        _ = try store.importItems { sink in
            try sink.add(ImportRecord(externalId: "n1", text: F.text))
            try sink.add(ImportRecord(externalId: "n2", text: "Reuters reported from Paris ."))
            try sink.add(ImportRecord(externalId: "n3", text: "Nothing to see ."))
        }
        try store.savePrediction(F.prediction(itemId: 1, F.proposal, id: 0))
    }

    func controller(screen: MemoryScreen) -> LabelingController {
        let session = LabelingSession(store: store, setup: F.setup(), leaseSeconds: 600)
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

    @Test func spansAreStoredWithTheirTextAndUndoInALaterSessionBringsThemBack() throws {
        let screen = MemoryScreen(size: ScreenSize(rows: 24, columns: 80), capabilities: .ascii)
        let first = controller(screen: screen)
        first.start()
        first.renderIfNeeded()
        #expect(first.state.current?.item.id == 1)
        // Retype Merkel to PER, then save; on item 2 mark Paris as LOC and save.
        press(first, [.tab, .tab, .character("1"), .enter])
        #expect(first.state.current?.item.id == 2)
        press(first, [.left, .left, .character("3"), .enter, .character("q")])
        let rows = try store.allDecisions()
        #expect(rows.map { "\($0.itemId) \($0.kind.rawValue) \($0.label ?? "-")" }
                == ["1 correct spans:0-13:PER,18-31:PER,35-41:LOC", "2 correct spans:22-27:LOC"])
        #expect(rows[0].shownLabel == "spans:0-13:PER,18-31:ORG,35-41:LOC")
        #expect(rows[0].shownConfidence == 0.55)
        let stored = try store.effectiveSpanAnnotations()
        #expect(stored.map { $0.spans.map(\.description) } == [
            [#"PER[0,13)"Boris Johnson""#, #"PER[18,31)"Angela Merkel""#, #"LOC[35,41)"Berlin""#],
            [#"LOC[22,27)"Paris""#],
        ])

        let later = MemoryScreen(size: ScreenSize(rows: 24, columns: 80), capabilities: .ascii)
        let second = controller(screen: later)
        second.start()
        second.renderIfNeeded()
        #expect(second.state.current?.item.id == 3)
        press(second, [.character("u"), .character("u")])
        #expect(second.state.current?.item.id == 1)
        #expect(second.state.spanEditor.shown.map { "\($0.span.key.text) \($0.status)" }
                == ["0-13:PER accepted", "18-31:PER accepted", "35-41:LOC accepted"])
        #expect(later.text.contains("[Boris Johnson]PER met [Angela Merkel]PER in [Berlin]LOC on Monday ."))
        // Berlin goes; saved again as a correction of the same pre-label.
        press(second, [.tab, .tab, .tab, .character("x"), .enter])
        let last = try #require(try store.allDecisions().last)
        #expect(last.kind == .correct)
        #expect(last.label == "spans:0-13:PER,18-31:PER")
        #expect(try store.effectiveSpanAnnotations(itemId: 1).map { $0.spans.map(\.key.text) } == [["0-13:PER", "18-31:PER"]])
    }
}
