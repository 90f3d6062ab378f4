import AnnottyCore
import AnnottyTestSupport
import Dispatch
import Foundation
import Synchronization
import Testing

/// Annotators on different machines claim from one database at the same moment: each has a
/// store of their own (as another process would) and claims on a thread of their own. A race
/// shows only when two claims meet, so each test claims a whole queue a couple of items at a
/// time: many meetings per run (PostgreSQL's stale-snapshot double claim showed in half the runs).
@Suite struct ConcurrentClaimTests {
    /// Each annotator's claimed item ids, in claim order, after claiming and labelling until the
    /// queue gives them nothing more.
    static func claimUntilEmpty(_ database: TestDatabase, annotators: [String], policy: OverlapPolicy) throws -> [String: [Int64]] {
        let stores = try annotators.map { _ in try database.open(policy: policy) }
        let claimed = Mutex<[String: [Int64]]>([:])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: annotators.count) { index in
            let annotator = annotators[index]
            let store = stores[index]
            do {
                var mine: [Int64] = []
                while true {
                    let batch = try store.claimNextItems(annotator: annotator, limit: 2, excluding: [], leaseSeconds: 600)
                    if batch.isEmpty { break }
                    for queued in batch {
                        mine.append(queued.item.id)
                        try store.recordDecision(Decision(itemId: queued.item.id, annotator: annotator, kind: .correct, label: "a"))
                    }
                }
                claimed.withLock { $0[annotator] = mine }
            } catch {
                failures.withLock { $0.append("\(annotator): \(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        return claimed.withLock { $0 }
    }

    @Test(arguments: StoreKind.available)
    func twoClaimersAtOnceNeverGetTheSameItem(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let count = 120
        _ = try database.open(items: (1...count).map { "item \($0)" })
        let claimed = try Self.claimUntilEmpty(database, annotators: ["ann", "bob"], policy: OverlapPolicy())
        let ann = claimed["ann", default: []]
        let bob = claimed["bob", default: []]
        // One label per item: every item went to exactly one of them, and each claim was new.
        #expect(Set(ann).isDisjoint(with: bob))
        #expect((ann + bob).sorted() == Array(1...Int64(count)))
        let counts = try database.open().statusCounts()
        #expect(counts.open == 0 && counts.decisions == count && counts.labelledByPeople == count)
    }

    @Test(arguments: StoreKind.available)
    func threeClaimersAtOnceGiveEachItemToExactlyTheOverlap(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let count = 30
        let policy = OverlapPolicy(overlap: 2, maxOverlap: 2)
        _ = try database.open(items: (1...count).map { "item \($0)" }, policy: policy)
        let claimed = try Self.claimUntilEmpty(database, annotators: ["ann", "bob", "carol"], policy: policy)
        var people: [Int64: [String]] = [:]
        for (annotator, ids) in claimed {
            // Never the same item twice to one person.
            #expect(Set(ids).count == ids.count, "\(annotator) got an item twice: \(ids)")
            for id in ids { people[id, default: []].append(annotator) }
        }
        // Two people per item, never a third.
        #expect(people.count == count)
        #expect(people.values.allSatisfy { $0.count == 2 }, "\(people.filter { $0.value.count != 2 })")
        #expect(try database.open().statusCounts().open == 0)
    }
}
