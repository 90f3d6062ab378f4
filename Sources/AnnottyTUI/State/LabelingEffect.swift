import AnnottyCore

/// Work the reducer asks for; the controller performs it outside the pure reducer.
public enum LabelingEffect: Sendable, Equatable {
    /// Commit a decision (the controller stamps its wall-clock time); answered by
    /// `.decisionRecorded` or `.storeFailed`, before anything is drawn.
    case recordDecision(Decision)
    /// Entity spans: commit a decision with its spans (`decision_spans`) in one transaction;
    /// answered as `recordDecision`.
    case recordSpanDecision(Decision, spans: [EntitySpan])
    /// Append an undo of the annotator's latest decision; answered by `.undone`.
    case undoLastDecision
    /// Claim items from the queue; answered by `.itemsClaimed`. Urgent when nothing is on screen,
    /// otherwise run after the screen is drawn.
    case claimItems(limit: Int, excluding: Set<Int64>, replacing: Bool, urgent: Bool)
    /// Tell the prefetcher which items are on screen and next in line.
    case announceUpcoming([Int64])
    /// Tell the learner and the re-ranker about a committed decision.
    case notifyDecision(Decision)
    /// Re-read the status counts (in the background); answered by `.countsRefreshed`.
    case refreshCounts
    /// Leave: release this annotator's leases, except the one on the item left on screen
    /// (`keepingLeaseOn`), so that reopening puts the annotator back on it; end the loop.
    case quit(keepingLeaseOn: Int64?)
}
