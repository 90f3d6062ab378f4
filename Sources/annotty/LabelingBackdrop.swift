import AnnottyCore
import AnnottyTUI
import Foundation

/// The background work behind a labeling screen, wired here because it joins layers that do not
/// know each other: after every few decisions it retrains the task learner, re-ranks the queue
/// (active learning), refits the LLM's calibration and routes (auto-accepting what the router
/// trusts), then tells the screen the order changed. It also calibrates each prediction the
/// prefetcher delivers before the screen shows it, and marks it as agreed by the learner.
final class LabelingBackdrop: @unchecked Sendable {
    private let project: Project
    private let store: any AnnotationStore
    private let inbox: Inbox
    private let queue = DispatchQueue(label: "annotty.backdrop", qos: .utility)
    private let lock = NSLock()
    private var decisionsSinceRerank = 0
    private var calibration = ModelCalibration.uncalibrated
    private var reranker: QueueReranker

    init(project: Project, store: any AnnotationStore, inbox: Inbox) {
        self.project = project
        self.store = store
        self.inbox = inbox
        self.reranker = QueueReranker(config: project.config)
    }

    private var usesLLM: Bool { project.config.llm.provider != .none }

    /// Routes and re-ranks once before the first item is claimed.
    func prepare() {
        rerank()
    }

    func decisionCommitted(_ decision: Decision) {
        lock.lock()
        decisionsSinceRerank += 1
        let due = decisionsSinceRerank >= project.config.queue.rerankEvery
        if due { decisionsSinceRerank = 0 }
        lock.unlock()
        if due { queue.async { [self] in rerank(); inbox.post(.queueOrderChanged) } }
    }

    /// The prediction as the screen should show it: calibrated, and `.both` when the task
    /// learner agrees with the LLM.
    func present(_ prediction: Prediction) -> Prediction {
        lock.lock()
        let calibration = self.calibration
        let learnerLabel = reranker.learnerLabel(for: prediction.itemId)
        lock.unlock()
        var shown = prediction
        if let raw = prediction.rawConfidence {
            shown.calibratedConfidence = calibration.calibratedConfidence(raw)
            try? store.updateCalibratedConfidences([prediction.id: shown.calibratedConfidence!])
        }
        if prediction.source == .llm, let learnerLabel, learnerLabel == prediction.label { shown.source = .both }
        return shown
    }

    private func rerank() {
        do {
            let order = try reranker.rank(store: store)
            if usesLLM {
                let summary = try RoutingPass(store: store, config: project.config)
                    .run(model: project.config.llm.model, selectorOrder: order)
                lock.lock()
                calibration = summary.calibration
                lock.unlock()
            } else if let order {
                try store.replaceQueueOrder(order)
            }
        } catch {
            // The queue keeps its previous order; labeling goes on.
            inbox.post(.llmStatus(LLMStatus(state: .failing, reason: "re-ranking failed: \(error)")))
        }
    }
}
