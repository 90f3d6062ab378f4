import AnnottyCore

/// The work behind the screen that hears what the annotator does: the labeling loop implements
/// it to steer the prefetcher and the learner. Called on the UI thread after drawing; return
/// quickly and do the work elsewhere.
public protocol LabelingObserver: Sendable {
    /// The ids on screen and next in line, in order, whenever they change.
    func upcomingChanged(_ itemIds: [Int64])
    /// Every committed decision; an undo arrives as a `.undo` decision (id 0) naming the undone
    /// decision in `undoesDecisionId`.
    func decisionCommitted(_ decision: Decision)
}

/// Where the screen's items come from when not from the queue: an audit sample, the
/// disagreements to review.
public protocol LabelingItemSource: Sendable {
    /// Up to `limit` items, leaving out `excluding` (those on screen or next).
    func next(limit: Int, excluding: Set<Int64>) throws -> [QueuedItem]
}

extension ListedItemSource: LabelingItemSource {}
