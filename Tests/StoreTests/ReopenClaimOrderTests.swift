import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// Reopening puts the annotator back on the item they left: leased-to-me items come first, in
/// the order they were claimed, whatever the queue's order became meanwhile.
@Suite struct ReopenClaimOrderTests {
    static let eightItems = (1...8).map { "item \($0)" }

    @Test(arguments: StoreKind.available)
    func afterAKillTheItemLeftOnScreenComesFirstEvenWhenTheQueueWasReordered(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.eightItems)
        // Items 1-4 claimed; 1 labelled; 2 on screen when the process is killed (no release).
        #expect(try store.claimNextItems(annotator: "ann", limit: 4, excluding: [], leaseSeconds: 600).map(\.item.id) == [1, 2, 3, 4])
        try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .correct, label: "a"))
        // A re-rank on reopening puts other items first.
        try store.replaceQueueOrder([8, 7, 6, 5, 4, 3, 2])
        let reopened = try database.open()
        #expect(try reopened.claimNextItems(annotator: "ann", limit: 5, excluding: [], leaseSeconds: 600).map(\.item.id) == [2, 3, 4, 8, 7])
    }

    @Test(arguments: StoreKind.available)
    func aQuitKeepsOnlyTheItemOnScreenAndTheNextSessionStartsThere(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.eightItems)
        _ = try store.claimNextItems(annotator: "ann", limit: 4, excluding: [], leaseSeconds: 600)
        try store.releaseLeases(annotator: "ann", keeping: 3)
        // The others go back to the queue at once; 3 stays ann's.
        #expect(try store.claimNextItems(annotator: "bob", limit: 3, excluding: [], leaseSeconds: 600).map(\.item.id) == [1, 2, 4])
        try store.replaceQueueOrder([6, 5])
        #expect(try store.claimNextItems(annotator: "ann", limit: 2, excluding: [], leaseSeconds: 600).map(\.item.id) == [3, 6])
    }

    @Test(arguments: StoreKind.available)
    func aSkippedItemDoesNotComeBackFirst(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.eightItems)
        _ = try store.claimNextItems(annotator: "ann", limit: 3, excluding: [], leaseSeconds: 600)
        try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .skip))
        #expect(try store.claimNextItems(annotator: "ann", limit: 2, excluding: [], leaseSeconds: 600).map(\.item.id) == [2, 3])
    }

    @Test(arguments: StoreKind.available)
    func releasingEverythingLeavesNoLease(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.eightItems)
        _ = try store.claimNextItems(annotator: "ann", limit: 2, excluding: [], leaseSeconds: 600)
        try store.releaseLeases(annotator: "ann")
        #expect(try store.claimNextItems(annotator: "bob", limit: 2, excluding: [], leaseSeconds: 600).map(\.item.id) == [1, 2])
    }
}
