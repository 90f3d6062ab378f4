import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The only way into the UI thread for background work. `post` may be called from any thread;
/// it queues the event and writes a byte to a pipe that the input loop polls beside stdin, so
/// the screen updates at once instead of at the next key press. This is the one queue through
/// which the loop's background work (predictions, re-ranks, counts, LLM status) reaches the screen.
public final class Inbox: Sendable {
    private let pending = Mutex<[InboxEvent]>([])
    /// Read end polled by the input loop, write end poked by `post`; -1 when no pipe could be made
    /// (the loop then falls back to its periodic timeout).
    let wakeReadDescriptor: Int32
    private let wakeWriteDescriptor: Int32

    public init() {
        var descriptors: [Int32] = [-1, -1]
        if pipe(&descriptors) == 0 {
            for descriptor in descriptors {
                _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
                _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            }
            wakeReadDescriptor = descriptors[0]
            wakeWriteDescriptor = descriptors[1]
        } else {
            wakeReadDescriptor = -1
            wakeWriteDescriptor = -1
        }
    }

    deinit {
        if wakeReadDescriptor >= 0 { close(wakeReadDescriptor) }
        if wakeWriteDescriptor >= 0 { close(wakeWriteDescriptor) }
    }

    /// Queues an event for the UI thread and wakes it. Safe from any thread.
    public func post(_ event: InboxEvent) {
        pending.withLock { $0.append(event) }
        guard wakeWriteDescriptor >= 0 else { return }
        var byte: UInt8 = 1
        // A full pipe already guarantees a wake-up, so a failed write needs no retry.
        _ = write(wakeWriteDescriptor, &byte, 1)
    }

    /// Takes every queued event, oldest first. Called by the UI thread.
    public func drain() -> [InboxEvent] {
        if wakeReadDescriptor >= 0 {
            var buffer = [UInt8](repeating: 0, count: 256)
            while read(wakeReadDescriptor, &buffer, buffer.count) > 0 {}
        }
        return pending.withLock { pending in
            let events = pending
            pending.removeAll()
            return events
        }
    }

    /// Blocks until an event is posted or `timeout` seconds pass; returns whether one is waiting.
    /// For loops without a terminal (`drive`, tests); the screen polls the pipe beside stdin.
    @discardableResult
    public func waitForEvents(timeout: Double) -> Bool {
        if pendingCount > 0 { return true }
        guard wakeReadDescriptor >= 0 else { return false }
        var descriptor = pollfd(fd: wakeReadDescriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, Int32(max(0, min(timeout, 3600)) * 1000))
        return pendingCount > 0
    }

    /// Events waiting, for tests.
    public var pendingCount: Int {
        pending.withLock { $0.count }
    }
}
