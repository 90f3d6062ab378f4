import AnnottyCore
import AnnottyTUI
import Dispatch
import Foundation
import Synchronization

/// The part of the loop that learns from people: after every few decisions it retrains the
/// task learner, re-ranks the queue (active learning), refits the LLM's calibration and routes
/// (auto-accepting what the router trusts), all off the UI thread. Results go to the screen as
/// events through the inbox: the learner's opinions, then that the queue order changed. Runs
/// one cycle at a time; decisions that arrive meanwhile ask for one more, never a pile.
public final class LearningCycle: Sendable {
    public let config: ProjectConfig
    public let store: any AnnotationStore
    public let inbox: Inbox
    /// Told when a cycle changed the queue order (the prefetcher reads the front again).
    private let onQueueChanged: @Sendable () -> Void
    private let queue = DispatchQueue(label: "annotty.loop.learning", qos: .utility)
    private let state = Mutex(State())
    /// Signalled when the cycles in hand are done, for `waitUntilIdle`.
    private let idle = NSCondition()

    private struct State {
        var decisionsSinceCycle = 0
        var running = false
        var anotherWanted = false
        var cycles: UInt64 = 0
        /// The last routing pass's threshold before confirmation (`ThresholdConfirmation`).
        var thresholdFound: Double?
    }

    /// What one cycle did: the ranking and, with an LLM, the routing pass's summary.
    public struct Report: Sendable, Equatable {
        public var ranking: QueueReranker.Ranking
        public var routing: RoutingPass.Summary?
    }

    /// The cascade's stronger tier, when `[cascade]` names one.
    public let escalation: Escalation?
    /// Added to each cycle's number to make its seed (the queue's random share): 0 in `annotty
    /// label`; a replay's `--seed` moves it, and the learner's folds with `[queue] fold_seed`, to
    /// show another path.
    let seedOffset: UInt64

    public init(config: ProjectConfig, store: any AnnotationStore, inbox: Inbox, escalation: Escalation? = nil,
                seedOffset: UInt64 = 0, onQueueChanged: @escaping @Sendable () -> Void = {}) {
        self.config = config
        self.store = store
        self.inbox = inbox
        self.escalation = escalation
        self.seedOffset = seedOffset
        self.onQueueChanged = onQueueChanged
    }

    private var usesLLM: Bool { config.llm.provider != .none }

    /// Counts a committed decision; every `rerank_every` of them starts a cycle.
    public func decisionCommitted(_ decision: Decision) {
        let due = state.withLock { state in
            state.decisionsSinceCycle += 1
            guard state.decisionsSinceCycle >= max(1, config.queue.rerankEvery) else { return false }
            state.decisionsSinceCycle = 0
            return true
        }
        if due { requestCycle() }
    }

    /// Starts a cycle in the background, or asks for one more after the one running.
    public func requestCycle() {
        let start = state.withLock { state in
            if state.running {
                state.anotherWanted = true
                return false
            }
            state.running = true
            return true
        }
        guard start else { return }
        queue.async { [self] in
            while true {
                _ = runCycle()
                let again = state.withLock { state in
                    if state.anotherWanted {
                        state.anotherWanted = false
                        return true
                    }
                    state.running = false
                    return false
                }
                if !again {
                    idle.lock()
                    idle.broadcast()
                    idle.unlock()
                    return
                }
            }
        }
    }

    /// Whether no cycle is running or asked for.
    public var isIdle: Bool { state.withLock { !$0.running } }

    /// Blocks until no cycle is running or asked for, or `timeout` seconds pass; returns whether
    /// it is idle. For replays and tests, which must not decide before the queue has settled.
    @discardableResult
    public func waitUntilIdle(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        idle.lock()
        defer { idle.unlock() }
        while !isIdle {
            if !idle.wait(until: deadline) { return isIdle }
        }
        return true
    }

    /// One cycle, on the caller's thread: retrain and re-rank, then refit and route when an LLM
    /// is configured, each written in one transaction. Posts its results to the inbox.
    @discardableResult
    public func runCycle() -> Report? {
        let seed = state.withLock { state in
            state.cycles += 1
            return seedOffset &+ state.cycles
        }
        do {
            let ranking = try QueueReranker(config: config).rank(store: store, seed: seed)
            // Saved before routing: the pass pools them with the LLM's opinions, and once a person
            // decides an item its saved opinion is what the combiner learns from.
            try store.saveLearnerOpinions(ranking.learnerProbabilities, trainedOn: ranking.trainedOn)
            var routing: RoutingPass.Summary?
            if usesLLM {
                var models = [config.llm.model]
                // Multi-label and span projects route on the first tier alone (no cascade for sets yet).
                if let escalation, config.task == .single {
                    // Before routing, so that what the stronger tier says is routed this cycle. A
                    // tier that cannot be reached is reported; the cheap tiers' routing goes on.
                    do {
                        try escalation.escalate(order: ranking.order ?? store.openItemIds(limit: 1_000))
                    } catch {
                        inbox.post(.backgroundFailed("the cascade's model \(escalation.model): \(error)"))
                    }
                    models.append(escalation.model)
                }
                let confirmation = ThresholdConfirmation(previousFound: state.withLock { $0.thresholdFound })
                let pass = try RoutingPass(store: store, config: config).run(models: models, selectorOrder: ranking.order,
                                                                             learnerOutOfFold: ranking.outOfFold,
                                                                             confirmation: confirmation)
                state.withLock { $0.thresholdFound = pass.thresholdFound }
                routing = pass
            } else if let order = ranking.order {
                try store.replaceQueueOrder(order)
            }
            inbox.post(.learnerOpinions(ranking.learnerLabels))
            if routing != nil || ranking.order != nil {
                inbox.post(.queueOrderChanged)
                onQueueChanged()
            }
            return Report(ranking: ranking, routing: routing)
        } catch {
            inbox.post(.backgroundFailed(String(describing: error)))
            return nil
        }
    }
}
