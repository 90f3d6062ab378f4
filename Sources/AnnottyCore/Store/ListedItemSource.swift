import Foundation

/// Hands out a fixed list of items in order (an audit sample, the disagreements to review)
/// the way the queue hands out claimed items.
public final class ListedItemSource: @unchecked Sendable {
    private let lock = NSLock()
    private let items: [QueuedItem]
    private var handedOut = 0

    public init(_ items: [QueuedItem]) {
        self.items = items
    }

    public var count: Int { items.count }

    public func next(limit: Int, excluding: Set<Int64>) -> [QueuedItem] {
        lock.lock()
        defer { lock.unlock() }
        var result: [QueuedItem] = []
        while result.count < limit, handedOut < items.count {
            let candidate = items[handedOut]
            handedOut += 1
            if !excluding.contains(candidate.item.id) { result.append(candidate) }
        }
        return result
    }
}
