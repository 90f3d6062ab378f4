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
        /// What this pass's search found before confirmation (`ThresholdConfirmation`): the next
        /// pass's `previousFound`.
        public var thresholdFound: Double?
        /// The calibration the pass routed with (refitted when asked). For a multi-label project
        /// only its evidence (outcomes, whole-set accuracy); the per-label calibrators are in
        /// `multiLabelCalibration`.
        public var calibration = ModelCalibration.uncalibrated
        /// A multi-label project's per-label calibration (nil for single-label projects).
        public var multiLabelCalibration: MultiLabelCalibration?
    }

    /// The most outcomes the combiner is fitted on when the learner's opinions are out of fold.
    public static let outOfFoldOutcomeLimit = 3_000

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
    /// - Parameter learnerOutOfFold: the task learner's out-of-fold opinions on decided items
    ///   (`QueueReranker.Ranking.outOfFold`); where one is missing, the opinion saved before the decision.
    /// - Parameter confirmation: the previous pass's threshold, which a threshold found on evidence
    ///   pooled with those out-of-fold opinions must be confirmed by (the loop's passes); nil: used at once.
    @discardableResult
    public func run(model: String, refit: Bool = true, selectorOrder: [Int64]? = nil,
                    learnerOutOfFold: [Int64: [Double]] = [:], confirmation: ThresholdConfirmation? = nil) throws -> Summary {
        try run(models: [model], refit: refit, selectorOrder: selectorOrder, learnerOutOfFold: learnerOutOfFold,
                confirmation: confirmation)
    }

    /// The same for a cascade: each model (tier) has its own calibration and combiner, fitted on
    /// the decided items it predicted; an item is routed on its latest prediction, under the
    /// calibration of the model that made it. The threshold rests on every tier's evidence.
    @discardableResult
    public func run(models: [String], refit: Bool = true, selectorOrder: [Int64]? = nil,
                    learnerOutOfFold: [Int64: [Double]] = [:], confirmation: ThresholdConfirmation? = nil) throws -> Summary {
        if config.task == .spans, let model = models.first {
            // Span sets are routed on their least sure span, first tier alone (see SpanRoutingPass).
            return try SpanRoutingPass(store: store, config: config).run(model: model, selectorOrder: selectorOrder)
        }
        if config.task == .multi, let model = models.first {
            // Sets are routed on the first tier alone, with no opinion combiner (see MultiLabelRoutingPass).
            return try MultiLabelRoutingPass(store: store, config: config).run(model: model, refit: refit,
                                                                             selectorOrder: selectorOrder)
        }
        let searches = config.routing.autoAcceptTargetError != nil || config.routing.autoAcceptErrorBudget != nil
        let openIds = try selectorOrder ?? store.openItemIds(limit: Int.max)
        let predictions = try store.latestPredictions(itemIds: openIds)
        let learner = try store.learnerOpinions(itemIds: openIds)
        // Read once: the refit and the threshold both rest on the same outcomes.
        let outcomesByModel = try models.map { model in
            refit || searches ? try VerifiedOutcomes(store: store, model: model, labels: config.labels) : nil
        }
        let shownBy = searches ? try Self.countedUnderTheTierShown(outcomesByModel, models: models, store: store) : []
        var calibrations: [String: ModelCalibration] = [:]
        var evidence: [AutoAcceptThresholdSearch.Evidence] = []
        for (index, (model, outcomes)) in zip(models, outcomesByModel).enumerated() {
            // Stored by the last pass: kept as it is without a refit, and its combiner's rule is the
            // one a refitted combiner must clearly beat to unseat.
            let stored = try ModelCalibration.load(store: store, model: model)
            var calibration = if refit, let outcomes { try ModelCalibration.fit(outcomes) } else { stored }
            if calibration.labelNames.isEmpty { calibration.labelNames = config.labels.names }
            // The learner's opinions on the decided items: out of fold where given, else as they
            // were before each decision.
            var learnerBefore = try outcomes.map { try store.learnerOpinions(itemIds: $0.outcomes.map(\.itemId)) } ?? [:]
            learnerBefore.merge(learnerOutOfFold) { _, outOfFold in outOfFold }
            if refit, let outcomes {
                // Out-of-fold opinions are the learner as it is now, so every outcome may judge it;
                // opinions saved before each decision age, so only the latest count.
                calibration.combiner = OpinionCombiner.fit(outcomes.outcomes.map { outcome in
                    OpinionOutcome(llm: calibration.calibratedProbabilities(outcome.probabilities),
                                   learner: learnerBefore[outcome.itemId], truth: outcome.trueIndex)
                }, labelCount: config.labels.count, previous: stored.combiner?.source,
                   recentOutcomeLimit: learnerOutOfFold.isEmpty ? OpinionCombiner.defaultRecentOutcomeLimit : Self.outOfFoldOutcomeLimit)
            }
            if searches, let outcomes = shownBy[index] {
                evidence += Self.evidence(outcomes, calibration: calibration, learner: learnerBefore)
            }
            calibrations[model] = calibration
        }
        let budget = try config.routing.autoAcceptErrorBudget.map { share in
            let counts = try store.statusCounts()
            return (share: share, totalItems: max(0, counts.items - counts.golden), alreadyAccepted: counts.autoAccepted)
        }
        // The evidence moves from pass to pass where it is scored with the learner's retrained out-of-fold opinions.
        let pooled = !learnerOutOfFold.isEmpty && calibrations.values.contains { ($0.combiner?.source ?? .llm) != .llm }
        var thresholdFound: Double?
        var (plan, summary) = self.plan(tiers: models.map { ($0, calibrations[$0]!) }, openIds: openIds, predictions: predictions,
                                        learner: learner) { openConfidences in
            guard searches else { return nil }
            let found = if let budget {
                AutoAcceptThresholdSearch().search(evidence, within: .init(
                    share: budget.share, totalItems: budget.totalItems, alreadyAccepted: budget.alreadyAccepted,
                    openConfidences: openConfidences))
            } else {
                config.routing.autoAcceptTargetError.map { AutoAcceptThresholdSearch(targetError: $0).search(evidence) }
            }
            thresholdFound = found?.threshold
            guard let found, let confirmation else { return found }
            return confirmation.confirmed(found, pooled: pooled)
        }
        summary.thresholdFound = thresholdFound
        if refit { plan.calibrations = try models.compactMap { model in try calibrations[model]?.stored(model: model) } }
        summary.autoAccepted = try store.applyRoutingPlan(plan)
        return summary
    }

    /// What a pass would write, without writing it: pure, given the predictions.
    /// - Parameter threshold: the threshold found for `auto_accept_target_error`; it replaces
    ///   `auto_accept` and the accuracy floor (no threshold found: nothing is auto-accepted).
    public func plan(calibration: ModelCalibration, model: String, openIds: [Int64],
                     predictions: [Int64: Prediction], threshold: AutoAcceptThresholdSearch.Result? = nil,
                     learner: [Int64: [Double]] = [:]) -> (RoutingPlan, Summary) {
        plan(tiers: [(model, calibration)], openIds: openIds, predictions: predictions, threshold: threshold,
             learner: learner)
    }

    /// The same for several models, cheapest first: each item under the calibration of its
    /// prediction's model (items predicted by another model count as unpredicted). The summary's
    /// hold and calibration are the first tier's.
    public func plan(tiers: [(model: String, calibration: ModelCalibration)], openIds: [Int64],
                     predictions: [Int64: Prediction], threshold: AutoAcceptThresholdSearch.Result? = nil,
                     learner: [Int64: [Double]] = [:]) -> (RoutingPlan, Summary) {
        plan(tiers: tiers, openIds: openIds, predictions: predictions, learner: learner) { _ in threshold }
    }

    /// The pass itself: every open item's pre-label is calibrated once, then the threshold is
    /// found from the open items' confidences (an error budget needs them), then each item routed.
    func plan(tiers: [(model: String, calibration: ModelCalibration)], openIds: [Int64], predictions: [Int64: Prediction],
              learner: [Int64: [Double]],
              threshold findThreshold: (_ openConfidences: [Double]) -> AutoAcceptThresholdSearch.Result?) -> (RoutingPlan, Summary) {
        let calibrations = Dictionary(tiers, uniquingKeysWith: { first, _ in first })
        var plan = RoutingPlan()
        var routed: [(itemId: Int64, prediction: Prediction, value: CalibratedValue?)] = []
        var unpredicted: [Int64] = []
        for itemId in openIds {
            guard let prediction = predictions[itemId], let calibration = calibrations[prediction.model] else {
                unpredicted.append(itemId)
                continue
            }
            let value = calibration.calibratedValue(prediction, learner: learner[itemId])
            if let value { plan.calibrated[prediction.id] = value }
            routed.append((itemId, prediction, value))
        }
        let threshold = findThreshold(routed.compactMap { $0.prediction.isValid ? $0.value?.confidence : nil })
        let settings = config.routing.routing(under: threshold)
        // In a cascade, a cheaper tier's pre-label under `escalate_below` awaits the stronger tier:
        // the cascade does not trust it, so neither does the router. Auto-accepted on a threshold
        // that the stronger tier's outcomes support, such items went wrong: TREC-6 at 2
        // escalations a cycle, 38 of the 83 auto-accepted in the first 100 decisions.
        let cheaperTiers = Set(tiers.dropLast().map(\.model))
        let routers = Dictionary(uniqueKeysWithValues: calibrations.map { model, calibration in
            (model, Router(settings: cheaperTiers.contains(model) ? settings.acceptingNoLower(than: config.cascade.escalateBelow)
                                                                  : settings, calibration: calibration))
        })
        var summary = Summary()
        summary.threshold = threshold
        if let first = tiers.first {
            summary.hold = routers[first.model]?.hold
            summary.calibration = first.calibration
        }
        var queue = RoutedQueue(plan: plan)
        unpredicted.forEach { queue.unpredicted($0) }
        for (itemId, prediction, value) in routed {
            let shownLabel = value?.label ?? prediction.label
            let confidence = prediction.isValid ? value?.confidence : nil
            let route: Router.Route = if let shownLabel, let confidence, let router = routers[prediction.model] {
                router.route(label: shownLabel, calibratedConfidence: confidence)
            } else {
                .personFirst
            }
            queue.file(itemId, route) {
                Decision(itemId: itemId, annotator: Self.routerName, kind: .auto, label: shownLabel,
                         shownLabel: shownLabel, shownConfidence: confidence,
                         shownSource: value?.source.map(PredictionSource.init) ?? prediction.source,
                         predictionId: prediction.id)
            }
        }
        let routedPlan = queue.finished(interleaving: threshold.map { $0.threshold == nil } ?? false, summary: &summary)
        return (routedPlan, summary)
    }

    /// Each tier's outcomes for the threshold: with several tiers a decided item counts once,
    /// under the tier whose pre-label it was shown last. One tier: its outcomes as they are.
    public static func countedUnderTheTierShown(_ outcomesByModel: [VerifiedOutcomes?], models: [String],
                                                store: any AnnotationStore) throws -> [VerifiedOutcomes?] {
        guard models.count > 1 else { return outcomesByModel }
        let shownLast = try store.latestPredictions(itemIds: Array(Set(outcomesByModel.flatMap { $0?.outcomes.map(\.itemId) ?? [] })))
        return zip(models, outcomesByModel).map { model, outcomes in
            outcomes.map { VerifiedOutcomes(model: model, outcomes: $0.outcomes.filter { shownLast[$0.itemId]?.model == model }) }
        }
    }

    /// What the threshold rests on: each decided item's pre-label as it would be shown now (the
    /// LLM's vector under `calibration`, pooled with the learner's opinion), right or wrong.
    public static func evidence(_ outcomes: VerifiedOutcomes, calibration: ModelCalibration, learner: [Int64: [Double]],
                                audited: Set<Int64> = []) -> [AutoAcceptThresholdSearch.Evidence] {
        outcomes.outcomes.map { outcome in
            let shown = calibration.shown(probabilities: outcome.probabilities, learner: learner[outcome.itemId]).prediction
            return .init(confidence: shown.confidence, isCorrect: shown.index == outcome.trueIndex,
                         isAudit: audited.contains(outcome.itemId))
        }
    }

    /// a₀, b₀, a₁, b₁, … then the rest of the longer list.
    static func interleaved<Element>(_ a: [Element], _ b: [Element]) -> [Element] {
        var result: [Element] = []
        result.reserveCapacity(a.count + b.count)
        for index in 0..<max(a.count, b.count) {
            if index < a.count { result.append(a[index]) }
            if index < b.count { result.append(b[index]) }
        }
        return result
    }
}
