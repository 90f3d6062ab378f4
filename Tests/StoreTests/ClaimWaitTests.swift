import AnnottyCore
@testable import AnnottyPostgres
import AnnottyTestSupport
import Foundation
import Synchronization
import Testing

/// PostgreSQL: a claim made while another claim holds the last claimable rows waits for that
/// claim to commit and takes its share, instead of coming back empty (`FOR UPDATE SKIP LOCKED`
/// alone sent a person away with work left: found by `ConcurrentClaimTests` under CI's load).
@Suite struct ClaimWaitTests {
    @Test func aClaimWhileAnotherHoldsTheLastRowWaitsAndTakesItsShare() throws {
        guard StoreKind.available.contains(.postgres) else { return }
        let database = try TestDatabase(.postgres)
        let policy = OverlapPolicy(overlap: 2, maxOverlap: 2)
        _ = try database.open(items: ["the only item"], policy: policy)
        let holder = try #require(try database.open(policy: policy) as? PostgresStore)
        let watcher = try #require(try database.open(policy: policy) as? PostgresStore)
        let claimer = try database.open(policy: policy)
        let itemIds = try holder.openItemIds(limit: 10)
        #expect(itemIds.count == 1)
        let claimed = Mutex<[Int64]?>(nil)
        let finished = DispatchSemaphore(value: 0)
        var sawTheClaimWait = false
        try holder.connections.transaction { session in
            // The row held as a claim in flight holds it.
            _ = try session.int64s("SELECT item_id FROM item_queue FOR UPDATE")
            Thread {
                let batch = try? claimer.claimNextItems(annotator: "ann", limit: 1, excluding: [], leaseSeconds: 600)
                claimed.withLock { $0 = batch?.map(\.item.id) }
                finished.signal()
            }.start()
            // The claim must be seen waiting on the lock (not answered empty) before the holder
            // commits. The deadline is generous for a loaded CI machine; a healthy run sees it at once.
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, claimed.withLock({ $0 }) == nil {
                let waiting = try watcher.connections.withConnection { watch in
                    try watch.int("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
                } ?? 0
                if waiting > 0 {
                    sawTheClaimWait = true
                    break
                }
                usleep(10_000)
            }
        }
        #expect(finished.wait(timeout: .now() + 120) == .success)
        #expect(sawTheClaimWait)
        #expect(claimed.withLock { $0 } == itemIds)
    }
}
