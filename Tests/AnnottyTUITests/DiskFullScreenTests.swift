import Foundation
import Testing
@testable import AnnottyCore
@testable import AnnottyTUI

/// A full disk on the labeling screen, with a real SQLite file capped by `max_page_count` (SQLite
/// answers a cap and a full disk with the same SQLITE_FULL): the screen says the disk is full,
/// keeps the item and its decision to make, and goes on once there is room again.
@Suite struct DiskFullScreenTests {
    @Test func aFullDiskIsNamedTheItemStaysAndTheRetryAfterFreeingSpaceSaves() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("annotty.sqlite").path)
        _ = try store.importItems { sink in
            for number in 1...30 { try sink.add(ImportRecord(externalId: "r\(number)", text: "Review number \(number).")) }
        }
        let screen = MemoryScreen(size: ScreenSize(rows: 24, columns: 80))
        var time: TimeInterval = 1000
        let controller = LabelingController(session: LabelingSession(store: store, setup: Fixtures.setup(lookahead: 4)),
                                            screen: screen, clock: { time += 0.25; return time }, countsQueue: nil)
        controller.start()
        controller.renderIfNeeded()
        controller.runDeferred()
        let shown = try #require(controller.state.current?.item.id)

        // Fill the file to its cap: another annotator's skips until SQLite refuses one.
        let pages = (try FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int ?? 0) / 4096
        try store.limitSize(pages: max(pages, 1))
        // Big rows first, then smaller ones, down to rows no bigger than the screen's decision.
        var refusals = 0
        for noteLength in [500, 50, 0] {
            filling: for itemId in Int64(1)...30 {
                for _ in 0..<400 {
                    do {
                        try store.recordDecision(Decision(itemId: itemId, annotator: "filler", kind: .flag,
                                                          note: noteLength == 0 ? nil : String(repeating: "x", count: noteLength)))
                    } catch StoreFileError.diskFull {
                        refusals += 1
                        break filling
                    }
                }
            }
        }
        #expect(refusals == 3)

        controller.handleKey(.character("2"))
        controller.renderIfNeeded()
        // The message says what happened; the item is still there, nothing was saved for it.
        #expect(screen.text.contains("disk is full"))
        #expect(controller.state.current?.item.id == shown)
        #expect(try store.decisions(itemId: shown).allSatisfy { $0.annotator == "filler" })

        // Space is freed: the same key again saves the decision and the next item comes.
        try store.limitSize(pages: 1_000_000)
        controller.handleKey(.character("2"))
        controller.renderIfNeeded()
        controller.runDeferred()
        #expect(try store.decisions(itemId: shown).contains { $0.annotator == Fixtures.setup(lookahead: 4).annotator && $0.label == "negative" })
        #expect(controller.state.current?.item.id != shown)
    }
}
