import Foundation

/// At most `limit` callers inside `run` at once; the others wait their turn (FIFO enough for
/// our use: Dispatch semaphores wake waiters in order).
public final class ConcurrencyLimiter: @unchecked Sendable {
    public let limit: Int
    private let semaphore: DispatchSemaphore
    private let lock = NSLock()
    private var running = 0
    private var peak = 0

    public init(limit: Int) {
        self.limit = max(1, limit)
        semaphore = DispatchSemaphore(value: self.limit)
    }

    public func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        semaphore.wait()
        lock.lock()
        running += 1
        peak = max(peak, running)
        lock.unlock()
        defer {
            lock.lock()
            running -= 1
            lock.unlock()
            semaphore.signal()
        }
        return try body()
    }

    /// The most callers that were inside `run` at the same time.
    public var peakConcurrency: Int {
        lock.lock()
        defer { lock.unlock() }
        return peak
    }
}
