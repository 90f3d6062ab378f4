/// Applies the router to every open item that has a prediction: auto-accepts the confident
/// ones (recorded as `auto` decisions with the calibrated confidence), refreshes the calibrated
/// confidence shown to people, and orders the rest: unsure items first, then the others, then
/// items with no prediction yet, each tier in the selector's order.
public struct RoutingPass {
    public struct Summary: Sendable, Equatable {
        public var autoAccepted = 0
        public var personFirst = 0
        public var personLater = 0
        public var unpredicted = 0
        public var hold: Router.Hold?
        /// With `auto_accept_target_error`: the threshold chosen and why.
        public var threshold: AutoAcceptThresholdSearch.Result?
        /// The calibration the pass routed with (refitted when asked).
        public var calibration = ModelCalibration.uncalibrated
    }

    /// The annotator name auto decisions are recorded under.
    public static let routerName = "annotty-router"

    public let store: any AnnotationStore
    public let config: ProjectConfig

    public init(store: any AnnotationStore, config: ProjectConfig) {
        self.store = store
        self.config = config
    }

    /// Refits the calibration (when asked), routes every open item with a prediction of `model`,
    /// and writes it all in one transaction.
    /// - Parameter selectorOrder: open item ids in the active-learning selector's order; nil keeps
    ///   the current queue order within each tier.
    @discardableResult
    public func run(model: String, refit: Bool = true, selectorOrder: [Int64]? = nil) throws -> Summary {
        // Read once: the refit and the target threshold both rest on the same outcomes.
        let needsOutcomes = refit || config.routing.autoAcceptTargetError != nil
        let outcomes = needsOutcomes ? try VerifiedOutcomes(store: store, model: model, labels: config.labels) : nil
        var calibration: ModelCalibration
        if refit, let outcomes {
            calibration = try ModelCalibration.fit(outcomes)
        } else {
            calibration = try ModelCalibration.load(store: store, model: model)
        }
        if calibration.labelNames.isEmpty { calibration.labelNames = config.labels.names }
        // The learner's opinions on the decided items, as they were before each decision.
        let learnerBefore = try outcomes.map { try store.learnerOpinions(itemIds: $0.outcomes.map(\.itemId)) } ?? [:]
        if refit, let outcomes {
            calibration.combiner = OpinionCombiner.fit(outcomes.outcomes.map { outcome in
                OpinionOutcome(llm: calibration.calibratedProbabilities(outcome.probabilities),
                               learner: learnerBefore[outcome.itemId], truth: outcome.trueIndex)
            }, labelCount: config.labels.count)
        }
        let openIds = try selectorOrder ?? store.openItemIds(limit: Int.max)
        var threshold: AutoAcceptThresholdSearch.Result?
        if let target = config.routing.autoAcceptTargetError, let outcomes {
            // The evidence is the pre-label each decided item would be shown now: the one routed on.
            threshold = AutoAcceptThresholdSearch(targetError: target).search(outcomes.outcomes.map { outcome in
                let shown = calibration.shown(probabilities: outcome.probabilities, learner: learnerBefore[outcome.itemId]).prediction
                return .init(confidence: shown.confidence, isCorrect: shown.index == outcome.trueIndex)
            })
        }
        var (plan, summary) = self.plan(calibration: calibration, model: model, openIds: openIds,
                                        predictions: try store.latestPredictions(itemIds: openIds), threshold: threshold,
                                        learner: try store.learnerOpinions(itemIds: openIds))
        if refit { plan.calibration = try calibration.stored(model: model) }
        summary.autoAccepted = try store.applyRoutingPlan(plan)
        return summary
    }

    /// What a pass would write, without writing it: pure, given the predictions.
    /// - Parameter threshold: the threshold found for `auto_accept_target_error`; it replaces
    ///   `auto_accept` and the accuracy floor (no threshold found: nothing is auto-accepted).
    public func plan(calibration: ModelCalibration, model: String, openIds: [Int64],
                     predictions: [Int64: Prediction], threshold: AutoAcceptThresholdSearch.Result? = nil,
                     learner: [Int64: [Double]] = [:]) -> (RoutingPlan, Summary) {
        var settings = config.routing
        if let threshold {
            settings.autoAccept = threshold.threshold ?? 2
            settings.autoAcceptPerLabel = [:]
            settings.accuracyFloor = 0
            settings.review = min(settings.review, settings.autoAccept)
        }
        let router = Router(settings: settings, calibration: calibration)
        var summary = Summary()
        summary.threshold = threshold
        summary.hold = router.hold
        summary.calibration = calibration
        var plan = RoutingPlan()
        var first: [Int64] = []
        var later: [Int64] = []
        var unpredicted: [Int64] = []
        for itemId in openIds {
            guard let prediction = predictions[itemId], prediction.model == model else {
                unpredicted.append(itemId)
                continue
            }
            let value = calibration.calibratedValue(prediction, learner: learner[itemId])
            if let value { plan.calibrated[prediction.id] = value }
            let shownLabel = value?.label ?? prediction.label
            let confidence = prediction.isValid ? value?.confidence : nil
            let route: Router.Route = if let shownLabel, let confidence {
                router.route(label: shownLabel, calibratedConfidence: confidence)
            } else {
                .personFirst
            }
            switch route {
            case .autoAccept:
                plan.autoAccepts.append(Decision(
                    itemId: itemId, annotator: Self.routerName, kind: .auto, label: shownLabel,
                    shownLabel: shownLabel, shownConfidence: confidence,
                    shownSource: value?.source.map(PredictionSource.init) ?? prediction.source,
                    predictionId: prediction.id))
            case .personFirst: first.append(itemId)
            case .personLater: later.append(itemId)
            }
        }
        plan.queueOrder = first + later + unpredicted
        summary.autoAccepted = plan.autoAccepts.count
        summary.personFirst = first.count
        summary.personLater = later.count
        summary.unpredicted = unpredicted.count
        return (plan, summary)
    }
}
