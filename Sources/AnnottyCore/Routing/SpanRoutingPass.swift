/// The routing pass of an entity-span project (`RoutingPass.run` hands over to it). An item is
/// auto-accepted only when its prediction proposes at least one span and its confidence, that of
/// its least sure span (the share of samples proposing it), is at or above `auto_accept`; the auto
/// decision is the proposed span set, written with its spans (`decision_spans`) by `applyRoutingPlan`.
///
/// The cold start and the accuracy floor rest on the decided items the model predicted: a
/// prediction is right only when people's final span set is exactly the proposed one. Kept
/// simple: no calibration of span confidences (sample shares are not refitted), no threshold
/// search (`auto_accept_target_error` / `auto_accept_error_budget` are ignored; the fixed
/// `auto_accept` holds), no cascade, no opinion combiner, no `auto_accept_per_label`.
public struct SpanRoutingPass {
    public let store: any AnnotationStore
    public let config: ProjectConfig

    public init(store: any AnnotationStore, config: ProjectConfig) {
        self.store = store
        self.config = config
    }

    /// Routes every open item with a prediction of `model` and writes it in one transaction.
    @discardableResult
    public func run(model: String, selectorOrder: [Int64]? = nil) throws -> RoutingPass.Summary {
        let openIds = try selectorOrder ?? store.openItemIds(limit: Int.max)
        let predictions = try store.latestPredictions(itemIds: openIds)
        let (plan, summary) = self.plan(evidence: try Self.evidence(store: store, model: model), model: model,
                                        openIds: openIds, predictions: predictions)
        var applied = summary
        applied.autoAccepted = try store.applyRoutingPlan(plan)
        return applied
    }

    /// How many decided items the model predicted, and the share whose whole span set people kept.
    public static func evidence(store: any AnnotationStore, model: String) throws -> (verified: Int, exactlyRight: Double) {
        let finals = try store.finalLabels().filter { $0.value.kind != .auto }
        var verified = 0
        var right = 0
        for prediction in try store.allLatestPredictions(model: model) where prediction.isValid && prediction.source != .imported {
            guard let proposed = prediction.label, proposed.hasPrefix("spans:"),
                  let truth = finals[prediction.itemId]?.label, truth.hasPrefix("spans:") else { continue }
            verified += 1
            if truth == proposed { right += 1 }
        }
        return (verified, verified == 0 ? 0 : Double(right) / Double(verified))
    }

    /// What a pass would write, without writing it: pure, given the evidence and the predictions.
    public func plan(evidence: (verified: Int, exactlyRight: Double), model: String, openIds: [Int64],
                     predictions: [Int64: Prediction]) -> (RoutingPlan, RoutingPass.Summary) {
        var settings = config.routing
        settings.autoAcceptPerLabel = [:]
        var calibration = ModelCalibration.uncalibrated
        calibration.verifiedOutcomes = evidence.verified
        calibration.measuredAccuracy = evidence.exactlyRight
        let router = Router(settings: settings, calibration: calibration)
        var summary = RoutingPass.Summary()
        summary.hold = router.hold
        summary.calibration = calibration
        var queue = RoutedQueue()
        for itemId in openIds {
            guard let prediction = predictions[itemId], prediction.model == model else {
                queue.unpredicted(itemId)
                continue
            }
            // The least sure span's share; nil with no span (an empty proposal is never accepted on faith).
            let label = prediction.label
            let confidence = prediction.isValid && label?.hasPrefix("spans:") == true ? prediction.rawConfidence : nil
            let route: Router.Route = if let label, let confidence {
                router.route(label: label, calibratedConfidence: confidence)
            } else {
                .personFirst
            }
            queue.file(itemId, route) {
                Decision(itemId: itemId, annotator: RoutingPass.routerName, kind: .auto, label: label,
                         shownLabel: label, shownConfidence: confidence, shownSource: prediction.source,
                         predictionId: prediction.id)
            }
        }
        let routedPlan = queue.finished(interleaving: false, summary: &summary)
        return (routedPlan, summary)
    }
}
