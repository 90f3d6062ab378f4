/// The routing pass of a multi-label project (`RoutingPass.run` hands over to it): refits the
/// per-label calibration (`MultiLabelCalibration`), stores every open prediction's calibrated
/// set, per-label probabilities and settledness, and auto-accepts an item only when every label
/// is confidently in or out: the set's settledness (its least settled label's max(p, 1 − p)) at
/// or above `auto_accept`, or at or above the threshold that `auto_accept_target_error` /
/// `auto_accept_error_budget` finds, where a decided item counts as right only when the whole
/// calibrated set equals the people's set. The auto-accepted label is the calibrated set. Where the
/// project forbids empty sets, a set shown as its most probable label alone (nothing reached one
/// half) has that label's probability as its confidence, and is never auto-accepted.
///
/// One model only: no cascade (a stronger tier's sets would need their own escalation rule) and
/// no opinion combiner (pooling two sets of per-label probabilities is not fitted yet); the
/// per-label `auto_accept_per_label` thresholds do not apply to sets.
public struct MultiLabelRoutingPass {
    public let store: any AnnotationStore
    public let config: ProjectConfig

    public init(store: any AnnotationStore, config: ProjectConfig) {
        self.store = store
        self.config = config
    }

    /// Refits (when asked), routes every open item with a prediction of `model`, and writes it all
    /// in one transaction (`applyRoutingPlan`).
    @discardableResult
    public func run(model: String, refit: Bool = true, selectorOrder: [Int64]? = nil) throws -> RoutingPass.Summary {
        let labels = config.labels
        let searches = config.routing.autoAcceptTargetError != nil || config.routing.autoAcceptErrorBudget != nil
        let openIds = try selectorOrder ?? store.openItemIds(limit: Int.max)
        let predictions = try store.latestPredictions(itemIds: openIds)
        let outcomes = refit || searches ? try MultiLabelOutcomes(store: store, model: model, labels: labels) : nil
        var calibration = if refit, let outcomes {
            MultiLabelCalibration.fit(outcomes, allowsEmptySet: config.allowEmptySet)
        } else {
            try MultiLabelCalibration.load(store: store, model: model, labels: labels)
        }
        // The project's setting now, whatever it was when the calibration was stored.
        calibration.allowsEmptySet = config.allowEmptySet
        let evidence = searches ? outcomes.map { Self.evidence($0, calibration: calibration) } ?? [] : []
        let budget = try config.routing.autoAcceptErrorBudget.map { share in
            let counts = try store.statusCounts()
            return (share: share, totalItems: max(0, counts.items - counts.golden), alreadyAccepted: counts.autoAccepted)
        }
        var (plan, summary) = self.plan(calibration: calibration, model: model, openIds: openIds,
                                        predictions: predictions) { openConfidences in
            guard searches else { return nil }
            if let budget {
                return AutoAcceptThresholdSearch().search(evidence, within: .init(
                    share: budget.share, totalItems: budget.totalItems, alreadyAccepted: budget.alreadyAccepted,
                    openConfidences: openConfidences))
            }
            return config.routing.autoAcceptTargetError.map { AutoAcceptThresholdSearch(targetError: $0).search(evidence) }
        }
        if refit { plan.calibrations = [try calibration.stored(model: model)] }
        summary.autoAccepted = try store.applyRoutingPlan(plan)
        return summary
    }

    /// What a pass would write, without writing it: pure, given the predictions.
    /// - Parameter threshold: the threshold found for a target error or budget; it replaces
    ///   `auto_accept` and the accuracy floor (none found: nothing is auto-accepted).
    public func plan(calibration: MultiLabelCalibration, model: String, openIds: [Int64], predictions: [Int64: Prediction],
                     threshold: AutoAcceptThresholdSearch.Result? = nil) -> (RoutingPlan, RoutingPass.Summary) {
        plan(calibration: calibration, model: model, openIds: openIds, predictions: predictions) { _ in threshold }
    }

    func plan(calibration: MultiLabelCalibration, model: String, openIds: [Int64], predictions: [Int64: Prediction],
              threshold findThreshold: (_ openConfidences: [Double]) -> AutoAcceptThresholdSearch.Result?)
        -> (RoutingPlan, RoutingPass.Summary) {
        var plan = RoutingPlan()
        var routed: [(itemId: Int64, prediction: Prediction, value: CalibratedValue?)] = []
        var unpredicted: [Int64] = []
        for itemId in openIds {
            guard let prediction = predictions[itemId], prediction.model == model else {
                unpredicted.append(itemId)
                continue
            }
            let value = calibration.calibratedValue(prediction)
            if let value { plan.calibrated[prediction.id] = value }
            routed.append((itemId, prediction, value))
        }
        let threshold = findThreshold(routed.compactMap { $0.prediction.isValid ? $0.value?.confidence : nil })
        var settings = config.routing.routing(under: threshold)
        settings.autoAcceptPerLabel = [:]
        let router = Router(settings: settings, calibration: calibration.routerCalibration)
        var summary = RoutingPass.Summary()
        summary.threshold = threshold
        summary.hold = router.hold
        summary.calibration = calibration.routerCalibration
        summary.multiLabelCalibration = calibration
        var queue = RoutedQueue(plan: plan)
        unpredicted.forEach { queue.unpredicted($0) }
        for (itemId, prediction, value) in routed {
            let shownLabel = value?.label ?? prediction.label
            let confidence = prediction.isValid ? value?.confidence : nil
            var route: Router.Route = if let shownLabel, let confidence {
                router.route(label: shownLabel, calibratedConfidence: confidence)
            } else {
                .personFirst
            }
            // A confident empty set is still no answer where the project forbids one.
            if route == .autoAccept, !config.allowEmptySet, shownLabel.flatMap({ MultiLabelAnswer.decode($0, labels: config.labels) })?.isEmpty ?? true {
                route = .personLater
            }
            queue.file(itemId, route) {
                Decision(itemId: itemId, annotator: RoutingPass.routerName, kind: .auto, label: shownLabel,
                         shownLabel: shownLabel, shownConfidence: confidence, shownSource: prediction.source,
                         predictionId: prediction.id)
            }
        }
        // As for single labels: with no threshold yet, confident items are shown in turn with the unsure ones.
        let routedPlan = queue.finished(interleaving: threshold.map { $0.threshold == nil } ?? false, summary: &summary)
        return (routedPlan, summary)
    }

    /// What the threshold rests on: each decided item's calibrated set as it would be shown now,
    /// with its settledness, right only when the whole set is the people's.
    public static func evidence(_ outcomes: MultiLabelOutcomes, calibration: MultiLabelCalibration)
        -> [AutoAcceptThresholdSearch.Evidence] {
        outcomes.outcomes.map { outcome in
            let calibrated = calibration.calibratedInProbabilities(outcome.inProbabilities)
            let set = calibration.shownSet(calibrated)
            return .init(confidence: MultiLabelCalibration.confidence(of: set, probabilities: calibrated),
                         isCorrect: set == outcome.truth)
        }
    }
}
