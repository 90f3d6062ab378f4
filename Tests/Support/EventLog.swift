import Foundation
import Synchronization

/// Events reported from background threads, in order, with a way to wait for a condition on
/// them instead of sleeping: `wait` returns as soon as an added event makes it true.
public final class EventLog<Event: Sendable>: Sendable {
    private let events = Mutex<[Event]>([])
    private let signal = NSCondition()

    public init() {}

    public func add(_ event: Event) {
        events.withLock { $0.append(event) }
        signal.lock()
        signal.broadcast()
        signal.unlock()
    }

    public var all: [Event] { events.withLock { $0 } }
    public var last: Event? { events.withLock { $0.last } }

    /// Waits until `condition` holds for the events so far, or `timeout` seconds pass; returns
    /// whether it holds.
    @discardableResult
    public func wait(timeout: Double = 10, until condition: ([Event]) -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        signal.lock()
        defer { signal.unlock() }
        while !condition(all) {
            if !signal.wait(until: deadline) { return condition(all) }
        }
        return true
    }
}
