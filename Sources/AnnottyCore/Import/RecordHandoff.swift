import Foundation

/// A bounded queue of record batches between the thread that reads and parses a file and the
/// one that inserts into SQLite, so an import uses both cores while memory stays flat.
/// `@unchecked`: the producer and the consumer block on a condition variable, which `Mutex`
/// does not offer; every stored property is read and written only with `condition` held.
final class RecordHandoff: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[ImportRecord]] = []
    private var finished = false
    private var cancelled = false
    private var failure: (any Error)?
    private let capacity: Int

    init(capacity: Int = 8) {
        self.capacity = capacity
    }

    /// Blocks while the queue is full; returns false once the consumer has given up.
    func push(_ batch: [ImportRecord]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// The producer is done, with the error that stopped it if any.
    func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch; nil at the end; rethrows the producer's error in order, after every batch
    /// it pushed before failing.
    func pop() throws -> [ImportRecord]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        if !batches.isEmpty {
            let batch = batches.removeFirst()
            condition.broadcast()
            return batch
        }
        if let failure { throw failure }
        return nil
    }

    /// The consumer stopped (an insert failed): release a producer waiting for room.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Thrown on the producer side when the consumer has stopped; never reaches a person.
struct ImportCancelled: Error {}
