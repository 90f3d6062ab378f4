import AnnottyCore
import AnnottyTUI
import Synchronization

/// What the screen tells the loop: the items coming up steer the prefetcher, committed
/// decisions feed the learning cycle and, for `drive`, a record of what was saved.
struct LoopObserver: LabelingObserver {
    let prefetcher: Prefetcher?
    let learning: LearningCycle?
    let record: DecisionRecord?

    func upcomingChanged(_ itemIds: [Int64]) {
        prefetcher?.setUpcoming(itemIds)
    }

    func decisionCommitted(_ decision: Decision) {
        learning?.decisionCommitted(decision)
        record?.append(decision)
    }
}

/// The decisions a screen committed, in order, readable from any thread.
public final class DecisionRecord: Sendable {
    private let decisions = Mutex<[Decision]>([])

    public init() {}

    func append(_ decision: Decision) {
        decisions.withLock { $0.append(decision) }
    }

    public var all: [Decision] { decisions.withLock { $0 } }
}
