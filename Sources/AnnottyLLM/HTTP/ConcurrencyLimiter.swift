import Foundation
import Synchronization

/// At most `limit` callers inside `run` at once; the others wait their turn (FIFO enough for
/// our use: Dispatch semaphores wake waiters in order).
public final class ConcurrencyLimiter: Sendable {
    public let limit: Int
    private let semaphore: DispatchSemaphore
    private let counts = Mutex<(running: Int, peak: Int)>((0, 0))

    public init(limit: Int) {
        self.limit = max(1, limit)
        semaphore = DispatchSemaphore(value: self.limit)
    }

    public func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        semaphore.wait()
        counts.withLock { counts in
            counts.running += 1
            counts.peak = max(counts.peak, counts.running)
        }
        defer {
            counts.withLock { $0.running -= 1 }
            semaphore.signal()
        }
        return try body()
    }

    /// The most callers that were inside `run` at the same time.
    public var peakConcurrency: Int {
        counts.withLock { $0.peak }
    }
}
