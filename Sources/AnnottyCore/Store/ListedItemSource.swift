import Synchronization

/// Hands out a fixed list of items in order (an audit sample, the disagreements to review)
/// the way the queue hands out claimed items.
public final class ListedItemSource: Sendable {
    private let items: [QueuedItem]
    private let handedOut = Mutex(0)

    public init(_ items: [QueuedItem]) {
        self.items = items
    }

    public var count: Int { items.count }

    public func next(limit: Int, excluding: Set<Int64>) -> [QueuedItem] {
        handedOut.withLock { handedOut in
            var result: [QueuedItem] = []
            while result.count < limit, handedOut < items.count {
                let candidate = items[handedOut]
                handedOut += 1
                if !excluding.contains(candidate.item.id) { result.append(candidate) }
            }
            return result
        }
    }
}
