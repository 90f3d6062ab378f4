import Foundation

/// A flag that stops waits and transfers from another thread: `cancel()` wakes every
/// `sleep(seconds:)` at once and makes running transfers abort at their next progress tick.
/// Unchecked Sendable because it keeps an NSCondition rather than a Mutex: sleepers must be
/// woken by `cancel()`, and Mutex has no wait/broadcast. Every field is touched under it.
public final class CancellationToken: @unchecked Sendable {
    private let condition = NSCondition()
    private var cancelled = false

    public init() {}

    public var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps up to `seconds`; returns false when woken by `cancel()`.
    @discardableResult
    public func sleep(seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: max(0, seconds))
        condition.lock()
        defer { condition.unlock() }
        while !cancelled {
            if !condition.wait(until: deadline) { return true }
        }
        return false
    }
}
