import AnnottyCore
import AnnottyPostgres
import AnnottyTestSupport
import Foundation
import Synchronization
import Testing

/// PostgreSQL announces new work to other processes' screens (LISTEN/NOTIFY): new items and
/// leases given back are heard at once; a decision that closes an item is not announced, so
/// sixteen people labelling do not wake each other's screens. SQLite cannot announce anything.
@Suite(.serialized) struct QueueNotificationTests {
    /// Counts what a listener heard; the store calls it on NIO's thread.
    final class Heard: Sendable {
        private let count = Mutex(0)
        func hear() { count.withLock { $0 += 1 } }
        var total: Int { count.withLock { $0 } }
    }

    /// Waits until `condition` holds: for a notification, which arrives on another thread.
    static func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition()
    }

    @Test func anotherProcessesImportAndReleasedLeasesAreHeardAndItsDecisionsAreNot() throws {
        guard TestPostgres.available else { return }
        let database = try TestDatabase(.postgres)
        let listening = try database.open(items: ["one", "two"])
        let heard = Heard()
        let observation = try #require(try listening.observeQueueChanges { heard.hear() })
        defer { observation.stop() }

        let other = try database.open()
        _ = try other.importItems { sink in try sink.add(ImportRecord(text: "three")) }
        #expect(Self.eventually { heard.total == 1 }, "the import was not heard")

        let claimed = try other.claimNextItems(annotator: "bob", limit: 2, excluding: [], leaseSeconds: 600)
        try other.recordDecision(Decision(itemId: claimed[0].item.id, annotator: "bob", kind: .correct, label: "pos"))
        try other.releaseLeases(annotator: "bob")
        #expect(Self.eventually { heard.total == 2 }, "the leases given back were not heard")
        // The decision itself said nothing: one more round trip, and still two.
        _ = try listening.statusCounts()
        Thread.sleep(forTimeInterval: 0.2)
        #expect(heard.total == 2)
    }

    @Test func sqliteHasNothingToListenTo() throws {
        let database = try TestDatabase(.sqlite)
        let store = try database.open(items: ["one"])
        #expect(try store.observeQueueChanges {} == nil)
    }
}
