import AnnottyCore

/// What background work (the prefetcher, the re-ranker, the store's counters) tells the UI.
public enum InboxEvent: Sendable, Equatable {
    /// A prediction for an item was saved; shown at once if the item is on screen or next.
    case prediction(Prediction)
    /// The LLM's state changed (ready, slow, failing and why, queue depth).
    case llmStatus(LLMStatus)
    /// The queue was re-ranked: items next in line are claimed again in the new order.
    case queueOrderChanged
    /// The task learner retrained: its top label per ranked item.
    case learnerOpinions([Int64: String])
    /// Retraining, re-ranking or routing failed (why); labeling goes on in the current order.
    case backgroundFailed(String)
    /// Another process changed the queue (new items, decisions, released leases).
    case queueChangedElsewhere
    /// Fresh status counts (done, open, auto-accepted).
    case statusCounts(StatusCounts)
}
