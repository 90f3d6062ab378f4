import Foundation
import AnnottyCore

/// Everything that can change the UI state. Times are monotonic seconds (`systemUptime`).
public enum LabelingEvent: Sendable, Equatable {
    case started(now: TimeInterval)
    case key(KeyPress, now: TimeInterval)
    case resized(ScreenSize)
    case tick(now: TimeInterval)
    /// Items claimed from the queue; `replacing` drops the upcoming ones (the order changed).
    case itemsClaimed([QueuedItem], requested: Int, replacing: Bool, now: TimeInterval)
    /// A decision is committed to the store.
    case decisionRecorded(Decision, now: TimeInterval)
    /// The store undid `undone` (nil: nothing to undo); `restored` is its item, to show again.
    case undone(Decision?, restored: QueuedItem?, now: TimeInterval)
    case storeFailed(String)
    case predictionArrived(Prediction)
    case llmStatusChanged(LLMStatus)
    case queueOrderChanged
    /// Another process changed the queue: an empty screen looks for work at once.
    case queueChangedElsewhere
    /// The store could not commit a decision (why; `retryable`: the database is unreachable,
    /// so the same decision is sent again until it is back).
    case decisionFailed(Decision, reason: String, retryable: Bool)
    /// The task learner's top label per item, after a retrain.
    case learnerOpinions([Int64: String])
    /// Retraining, re-ranking or routing failed; the queue keeps its order.
    case backgroundFailed(String)
    case countsRefreshed(StatusCounts)
}
