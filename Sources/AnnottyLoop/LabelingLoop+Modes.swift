import AnnottyCore
import AnnottyTUI
import Foundation

extension LabelingLoop {
    /// Why a review or audit screen has nothing to show, or the loop that shows it.
    public enum Opening {
        case ready(LabelingLoop, items: Int)
        case nothingToShow(String)
    }

    /// The labeling screen on the project's queue, with its model and learning cycle.
    public static func labeling(project: Project, store: any AnnotationStore, annotator: String,
                                guidelines: Guidelines?) throws -> LabelingLoop {
        try LabelingLoop(project: project, store: store, annotator: annotator, guidelines: guidelines)
    }

    /// An audit of a random sample of auto-accepted items, shown with the label they were
    /// accepted with and without its confidence.
    public static func audit(project: Project, store: any AnnotationStore, annotator: String, guidelines: Guidelines?,
                             sample: Int, sampling: AuditPlan.Sampling, seed: UInt64) throws -> Opening {
        let plan = try AuditPlan(store: store)
        guard !plan.items.isEmpty else {
            return .nothingToShow("nothing has been auto-accepted yet: there is nothing to audit")
        }
        let chosen = plan.sample(count: sample, sampling: sampling, seed: seed)
        guard !chosen.isEmpty else { return .nothingToShow("every auto-accepted item has been audited already") }
        let items = try store.items(ids: chosen.map(\.itemId))
        let byId = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0) })
        let queued = chosen.compactMap { entry -> QueuedItem? in
            guard let item = byId[entry.itemId] else { return nil }
            // A span set is shown as its spans, each as sure as the set was accepted.
            let probabilities = SpanAnnotation.keys(inLabel: entry.label)
                .map { keys in Dictionary(keys.map { ($0.text, 1.0) }, uniquingKeysWith: max) } ?? [entry.label: 1]
            let shown = Prediction(itemId: item.id, model: "auto-accepted", label: entry.label, probabilities: probabilities)
            return QueuedItem(item: item, prediction: shown)
        }
        let loop = try LabelingLoop(project: project, store: store, annotator: annotator, guidelines: guidelines,
                                    mode: .audit, itemSource: ListedItemSource(queued), model: .none)
        return .ready(loop, items: queued.count)
    }

    /// The items people disagree on, each with everyone's label, to settle with one key.
    /// - Parameter closeOnly: only votes whose top two labels are at most one apart.
    public static func review(project: Project, store: any AnnotationStore, annotator: String,
                              guidelines: Guidelines?, closeOnly: Bool = false) throws -> Opening {
        let disputed = try Disagreements.find(store: store, labels: project.config.labels, closeOnly: closeOnly)
        guard !disputed.isEmpty else { return .nothingToShow("no disagreements to review") }
        let loop = try LabelingLoop(project: project, store: store, annotator: annotator, guidelines: guidelines,
                                    mode: .review, itemSource: ListedItemSource(disputed), model: .none)
        return .ready(loop, items: disputed.count)
    }
}
