import Foundation
import AnnottyCore

/// Runs the reducer's effects against the store and the session's observer, and draws the state.
/// Lives on the UI thread only. Events are processed from a queue: an effect's answer (a decision
/// recorded, items claimed) is queued behind the event that asked for it, never handled by
/// recursion. A decision's effect is performed before the queue is empty, so the store has
/// committed it before the next item can be drawn; work that the next item does not need
/// (refilling the look-ahead, notifying the prefetcher and the learner) waits until after drawing.
public final class LabelingController {
    public private(set) var state: LabelingState
    public let session: LabelingSession
    public let screen: any Screen
    let clock: () -> TimeInterval
    /// Where status counts are read; nil reads them inline (tests, benchmarks).
    let countsQueue: DispatchQueue?
    private var deferred: [LabelingEffect] = []
    /// Events waiting for the reducer, oldest first; drained by `handle`.
    private var pending: [LabelingEvent] = []
    private var isProcessing = false
    private var needsRender = true

    public init(session: LabelingSession, screen: any Screen,
                clock: @escaping () -> TimeInterval = { ProcessInfo.processInfo.systemUptime },
                countsQueue: DispatchQueue? = DispatchQueue(label: "annotty.tui.counts", qos: .utility)) {
        self.session = session
        self.screen = screen
        self.clock = clock
        self.countsQueue = countsQueue
        state = LabelingState(setup: session.setup, size: screen.size, capabilities: screen.capabilities)
    }

    public var isFinished: Bool { state.isFinished }

    /// Claims the first items; call once before the loop.
    public func start() {
        handle(.started(now: clock()))
    }

    /// Reduces the event and performs its effects, then the events those effects answered with,
    /// until none is left.
    public func handle(_ event: LabelingEvent) {
        pending.append(event)
        guard !isProcessing else { return }
        isProcessing = true
        defer { isProcessing = false }
        var next = 0
        while next < pending.count {
            let effects = LabelingReducer.reduce(into: &state, pending[next])
            next += 1
            needsRender = true
            for effect in effects {
                if let answer = perform(effect) { pending.append(answer) }
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    public func handleKey(_ key: KeyPress) {
        handle(.key(key, now: clock()))
    }

    public func handle(_ event: InboxEvent) {
        switch event {
        case .prediction(let prediction): handle(.predictionArrived(prediction))
        case .llmStatus(let status): handle(.llmStatusChanged(status))
        case .queueOrderChanged: handle(LabelingEvent.queueOrderChanged)
        case .learnerOpinions(let labels): handle(LabelingEvent.learnerOpinions(labels))
        case .backgroundFailed(let reason): handle(LabelingEvent.backgroundFailed(reason))
        case .statusCounts(let counts): handle(.countsRefreshed(counts))
        case .queueChangedElsewhere: handle(LabelingEvent.queueChangedElsewhere)
        }
    }

    /// Handles everything background work has posted.
    public func drainInbox() {
        for event in session.inbox.drain() { handle(event) }
    }

    public func resize(to size: ScreenSize) {
        handle(.resized(size))
    }

    public func renderIfNeeded() {
        guard needsRender else { return }
        needsRender = false
        LabelingView.render(state, on: screen)
    }

    /// Work postponed until the screen was drawn. Returns whether anything ran.
    @discardableResult
    public func runDeferred() -> Bool {
        var ran = false
        while !deferred.isEmpty {
            let batch = deferred
            deferred.removeAll()
            for effect in batch {
                if let answer = performNow(effect) { handle(answer) }
            }
            ran = true
        }
        return ran
    }

    // MARK: Effects

    /// Performs the effect now, or after drawing when the next item does not need it. Returns
    /// the event that answers it, if any.
    func perform(_ effect: LabelingEffect) -> LabelingEvent? {
        switch effect {
        case .claimItems(_, _, _, let urgent) where !urgent:
            deferred.append(effect)
        case .announceUpcoming:
            deferred.removeAll { if case .announceUpcoming = $0 { return true } else { return false } }
            deferred.append(effect)
        case .notifyDecision:
            deferred.append(effect)
        default:
            return performNow(effect)
        }
        return nil
    }

    func performNow(_ effect: LabelingEffect) -> LabelingEvent? {
        let store = session.store
        let annotator = session.setup.annotator
        switch effect {
        case .recordDecision(var decision):
            // A decision sent again after a lost connection keeps its time: the store knows it by it.
            if decision.createdAt.timeIntervalSince1970 == 0 { decision.createdAt = Date() }
            do {
                let saved = try store.recordDecision(decision)
                return .decisionRecorded(saved, now: clock())
            } catch {
                return .decisionFailed(decision, reason: String(describing: error),
                                       retryable: (error as? any TransientStoreError)?.isTransient ?? false)
            }
        case .recordSpanDecision(var decision, let spans):
            decision.createdAt = Date()
            guard let spanStore = store as? SQLiteStore else {
                return .storeFailed("this store cannot record entity spans (only the SQLite store has decision_spans)")
            }
            do {
                let saved = try spanStore.recordSpanDecision(decision, spans: spans)
                return .decisionRecorded(saved, now: clock())
            } catch {
                return .storeFailed(String(describing: error))
            }
        case .undoLastDecision:
            do {
                guard let undone = try store.undoLastDecision(annotator: annotator) else {
                    return .undone(nil, restored: nil, now: clock())
                }
                var restored = state.history.last { $0.decision.id == undone.id }?.item
                if restored == nil, let item = try store.item(id: undone.itemId) {
                    restored = QueuedItem(item: item, prediction: try store.latestPredictions(itemIds: [item.id])[item.id])
                }
                return .undone(undone, restored: restored, now: clock())
            } catch {
                return .storeFailed(String(describing: error))
            }
        case .claimItems(let limit, let excluding, let replacing, _):
            do {
                let items = try session.itemSource?.next(limit: limit, excluding: excluding)
                    ?? store.claimNextItems(annotator: annotator, limit: limit, excluding: excluding,
                                            leaseSeconds: session.leaseSeconds, resumingLeases: !replacing)
                return .itemsClaimed(items, requested: limit, replacing: replacing, now: clock())
            } catch {
                return .storeFailed(String(describing: error))
            }
        case .announceUpcoming(let ids):
            session.observer?.upcomingChanged(ids)
        case .notifyDecision(let decision):
            session.observer?.decisionCommitted(decision)
        case .refreshCounts:
            if let countsQueue {
                let inbox = session.inbox
                countsQueue.async {
                    if let counts = try? store.statusCounts() { inbox.post(.statusCounts(counts)) }
                }
            } else if let counts = try? store.statusCounts() {
                return .countsRefreshed(counts)
            }
        case .quit(let kept):
            // Items claimed but not decided go back to the others at once, not when leases expire;
            // the one left on screen stays leased, so reopening shows it first.
            try? store.releaseLeases(annotator: annotator, keeping: kept)
        }
        return nil
    }
}
