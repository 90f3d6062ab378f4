import AnnottyCore
import AnnottyLLM
import Foundation

/// The cascade's step in the learning cycle: asks the stronger tier for the items the cheap
/// tiers are unsure of (`EscalationPolicy`), front of the queue first, a bounded number per cycle.
/// Its predictions are saved (and calibrated, pooled with the learner's opinion) by the store
/// like any other; the routing pass then routes those items under the stronger tier's calibration.
public final class Escalation: Sendable {
    public let policy: EscalationPolicy
    public let session: LLMSession
    let store: any AnnotationStore

    public init(policy: EscalationPolicy, session: LLMSession, store: any AnnotationStore) {
        self.policy = policy
        self.session = session
        self.store = store
    }

    /// The model the items are sent to.
    public var model: String { session.settings.model }

    /// Asks the stronger tier about the candidates among `order`; returns how many it answered.
    /// Throws when the tier cannot be started (the cycle reports it and goes on without it).
    @discardableResult
    public func escalate(order: [Int64]) throws -> Int {
        let labelled = policy.tapers ? try store.statusCounts().labelledByPeople : 0
        let front = Array(order.prefix(max(policy.limit(labelledByPeople: labelled) * 20, 200)))
        let chosen = policy.candidates(order: front, predictions: try store.latestPredictions(itemIds: front),
                                       labelledByPeople: labelled)
        guard !chosen.isEmpty else { return 0 }
        let predictor = try session.start()
        var answered = 0
        for item in try store.items(ids: chosen) {
            let outcome = try predictor.predict(item, context: ScoringContext())
            if outcome.prediction.isValid { answered += 1 }
        }
        return answered
    }

    public func stop() {
        session.stop()
    }
}
