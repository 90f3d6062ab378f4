import Foundation

/// `annotty plan`: a `BudgetForecast` fed from a project's store, so that the command and a
/// replay (which calls it halfway and compares with what then happens) forecast the same way.
///
/// - Evidence: the model's verified outcomes, audits among them, each at its confidence under
///   the model's stored calibration (the one the router and the screen use), pooled with the task
///   learner's out-of-fold opinion, as a routing pass would search them for
///   `auto_accept_target_error` (default 2%).
/// - A cascade (`[cascade] model`): every tier's outcomes, each decided item under the tier it
///   was shown last, and each open item at its latest pre-label's tier and calibration, as the
///   routing pass routes them. A cheaper tier's open pre-label under `escalate_below` (or unusable)
///   is never auto-accepted; it awaits the stronger tier and is forecast like its open pre-labels
///   (else its outcomes), charged one pre-label.
/// - Open items: each one's pre-label of the model at the same calibration. An open item with no
///   pre-label yet is forecast at the distribution of those that have one (the pre-labelled
///   open items', else the verified outcomes'): the loop pre-labels every item before a person
///   or the router sees it, so it will be routed like the others. An item whose pre-label is
///   unusable (an invalid answer) goes to a person.
/// - Costs: a pre-label is charged only for the open items that do not have one yet or await the
///   stronger tier (what has been spent is spent); a person's label for each item the forecast
///   sends to people.
/// - As the loop goes on (`LoopForecast`): with how the open items' confidences rose over the
///   second half of people's labels (`ConfidenceGrowth`), extrapolated as labels accrue, and how
///   far the router's look at an item moves from pass to pass (`ConfidenceJitter`), measured on
///   people's latest decisions: the confidence each was shown against the one it is scored with now.
public struct BudgetPlan: Sendable {
    public struct Prices: Sendable, Equatable {
        /// One person's label; nil when not known (people's cost is then not priced).
        public var humanPerItem: Double?
        public var modelPerItem: Double
        /// How often a person's label is right (1: people are taken as the truth).
        public var humanAccuracy: Double
        /// Where `modelPerItem` comes from, for a person ("annotty.toml", "--model-cost", "measured …").
        public var modelPriceSource: String

        public init(humanPerItem: Double?, modelPerItem: Double, humanAccuracy: Double = 1,
                    modelPriceSource: String = "given") {
            self.humanPerItem = humanPerItem
            self.modelPerItem = modelPerItem
            self.humanAccuracy = humanAccuracy
            self.modelPriceSource = modelPriceSource
        }

        /// The prices from `[costs]`, each overridden by its flag where given; an unset model
        /// price is the mean cost per call recorded so far (0 where none: a local model).
        public static func from(config: ProjectConfig, store: any AnnotationStore, humanCost: Double? = nil,
                                modelCost: Double? = nil) throws -> Prices {
            let human = humanCost ?? config.costs.humanPerItem
            if let modelCost { return Prices(humanPerItem: human, modelPerItem: modelCost, modelPriceSource: "--model-cost") }
            if let configured = config.costs.llmPerItem {
                return Prices(humanPerItem: human, modelPerItem: configured, modelPriceSource: "llm_per_item in annotty.toml")
            }
            let usage = try store.predictionUsage()
            guard usage.calls > 0, usage.costUSD > 0 else {
                return Prices(humanPerItem: human, modelPerItem: 0,
                              modelPriceSource: "no cost recorded for the model's calls (set llm_per_item under [costs])")
            }
            return Prices(humanPerItem: human, modelPerItem: usage.costUSD / Double(usage.calls),
                          modelPriceSource: "measured: $\(DecimalFormat.fixed(usage.costUSD, places: 4)) over \(usage.calls) calls")
        }
    }

    public enum PlanError: Error, Equatable, CustomStringConvertible {
        /// The model has no usable pre-label on any item: nothing to forecast from.
        case noPredictions(model: String)
        /// A budget needs people's price.
        case noHumanPrice

        public var description: String {
            switch self {
            case .noPredictions(let model):
                return "no pre-labels from \(model) yet: run `annotty prelabel` first, then plan"
            case .noHumanPrice:
                return "a budget needs what a person's label costs: set human_per_item under [costs] in annotty.toml "
                    + "or pass --human-cost"
            }
        }
    }

    public let model: String
    /// The cascade's stronger tier, planned with: its evidence and its pre-labels count too.
    public let cascadeModel: String?
    public let targetError: Double
    public let budget: Double?
    public let prices: Prices
    /// The threshold as it stands now, and what it and the budget make of the open items.
    public let forecast: BudgetForecast
    /// What the loop makes of them as its threshold is searched again while outcomes accrue
    /// (the router's own rule; a budget does not enter it).
    public let asTheLoopGoesOn: LoopForecast
    /// How the open items' confidences rose with the learner's labels, which the loop forecast
    /// carries on (nil where not measured: under 20 or over 5,000 labels, or not single-label).
    public let learnerGrowth: ConfidenceGrowth?
    /// How far the router's look at an item moves from pass to pass, which the loop forecast
    /// draws each pass (nil where not measured: under 20 people's decisions with a shown confidence).
    public let jitter: ConfidenceJitter?
    /// The calibrator the confidences are under (`Calibrator.kind`), "identity" when none is stored.
    public let calibratorKind: String
    public let verifiedOutcomes: Int
    public let audits: Int
    public let openItems: Int
    /// Open items with a usable pre-label.
    public let prelabelledOpen: Int
    /// Open items with no pre-label yet, forecast like the pre-labelled ones.
    public let unprelabelledOpen: Int
    /// Open items whose latest pre-label is a cheaper tier's under `escalate_below` (or unusable):
    /// never auto-accepted as they are, forecast like the stronger tier's open pre-labels.
    public let awaitingEscalationOpen: Int
    /// Open items whose pre-label is unusable: to people.
    public let unusableOpen: Int

    /// - Parameters:
    ///   - budget: USD for labelling the open items from here, or nil to plan for the target error alone.
    ///   - model: whose pre-labels to plan with (nil: the project's `[llm] model`).
    public static func make(store: any AnnotationStore, config: ProjectConfig, budget: Double?, prices: Prices,
                            model: String? = nil) throws -> BudgetPlan {
        if budget != nil, prices.humanPerItem == nil { throw PlanError.noHumanPrice }
        let model = model ?? config.llm.model
        let labels = config.labels
        // A cascade's tiers, as the routing pass routes them: every tier's evidence, each decided
        // item under the tier it was shown last, and each open item under its latest pre-label's tier.
        let tiers = model == config.llm.model && config.task == .single && !config.cascade.model.isEmpty
            && config.cascade.model != model ? [model, config.cascade.model] : [model]
        var calibrations: [String: ModelCalibration] = [:]
        for tier in tiers {
            var calibration = try ModelCalibration.load(store: store, model: tier)
            if calibration.labelNames.isEmpty { calibration.labelNames = labels.names }
            calibrations[tier] = calibration
        }
        let finals = try store.finalLabels()
        let audited = Set(finals.filter { $0.value.kind == .audit }.keys)
        let shownBy = try RoutingPass.countedUnderTheTierShown(
            try tiers.map { try VerifiedOutcomes(store: store, model: $0, labels: labels) }, models: tiers, store: store)
        // The router's evidence: each decided item's pre-label as it would be shown now, with the
        // learner's out-of-fold opinion where there is one, as the routing pass pools them (on
        // the project's folds, `[queue] fold_seed`, as the loop's last pass drew them).
        let outOfFold = try QueueReranker(config: config).outOfFoldOpinions(store: store)
        let strongest = tiers[tiers.count - 1]
        var evidence: [AutoAcceptThresholdSearch.Evidence] = []
        var strongestEvidence: [Double] = []
        var scoredNow: [Int64: Double] = [:]
        for (tier, outcomes) in zip(tiers, shownBy) {
            guard let outcomes, let calibration = calibrations[tier] else { continue }
            var learner = try store.learnerOpinions(itemIds: outcomes.outcomes.map(\.itemId))
            learner.merge(outOfFold) { _, outOfFold in outOfFold }
            let tierEvidence = RoutingPass.evidence(outcomes, calibration: calibration, learner: learner, audited: audited)
            for (outcome, scored) in zip(outcomes.outcomes, tierEvidence) { scoredNow[outcome.itemId] = scored.confidence }
            if tier == strongest { strongestEvidence = tierEvidence.map(\.confidence) }
            evidence += tierEvidence
        }
        let openIds = try store.openItemIds(limit: Int.max)
        let predictions = try store.latestPredictions(itemIds: openIds)
        let learner = try store.learnerOpinions(itemIds: openIds)
        // A cheaper tier's pre-label under `escalate_below` (or unusable) is never auto-accepted:
        // it awaits the stronger tier, and is forecast like the stronger tier's open pre-labels.
        let cheaperTiers = Set(tiers.dropLast())
        var known: [Double] = []
        var knownOfTheStrongest: [Double] = []
        var unusable = 0
        var missing = 0
        var awaiting = 0
        for itemId in openIds {
            guard let prediction = predictions[itemId], let calibration = calibrations[prediction.model] else {
                missing += 1
                continue
            }
            let usable = prediction.isValid && prediction.vector(over: labels).reduce(0, +) > 0
            let confidence = usable ? calibration.calibratedValue(prediction, learner: learner[itemId])?.confidence ?? 0 : nil
            if cheaperTiers.contains(prediction.model), confidence.map({ $0 < config.cascade.escalateBelow }) ?? true {
                awaiting += 1
                continue
            }
            guard let confidence else {
                unusable += 1
                continue
            }
            known.append(confidence)
            if prediction.model == strongest { knownOfTheStrongest.append(confidence) }
        }
        let reference = known.isEmpty ? evidence.map(\.confidence) : known
        if reference.isEmpty && !openIds.isEmpty { throw PlanError.noPredictions(model: model) }
        let strongerReference = [knownOfTheStrongest, strongestEvidence, reference].first { !$0.isEmpty } ?? []
        let confidences = known + Self.spread(reference, count: missing) + Self.spread(strongerReference, count: awaiting)
            + Array(repeating: 0, count: unusable)
        let target = config.routing.autoAcceptTargetError ?? AutoAcceptThresholdSearch.defaultTargetError
        // BudgetForecast prices a pre-label for every item it is given; only the missing ones and
        // those awaiting the stronger tier still cost one, so the price per item is scaled to charge exactly those.
        let charged = confidences.isEmpty ? 0 : prices.modelPerItem * Double(missing + awaiting) / Double(confidences.count)
        let search = AutoAcceptThresholdSearch(targetError: target)
        let errorBudget: BudgetForecast.ErrorBudgetSetting? = try config.routing.autoAcceptErrorBudget.map { share in
            let counts = try store.statusCounts()
            return .init(share: share, totalItems: max(0, counts.items - counts.golden), alreadyAccepted: counts.autoAccepted)
        }
        let forecast = BudgetForecast.plan(
            outcomes: evidence, openConfidences: confidences,
            prices: BudgetForecast.Prices(humanPerItem: prices.humanPerItem ?? 0, modelPerItem: charged,
                                          humanAccuracy: prices.humanAccuracy),
            budget: budget, search: search, errorBudget: errorBudget)
        let growth = try ConfidenceGrowth.measure(store: store, config: config, calibrations: calibrations,
                                                  openIds: openIds, predictions: predictions)
        let jitter = try Self.jitter(store: store, scoredNow: scoredNow)
        let asTheLoopGoesOn = LoopForecast.simulate(
            outcomes: evidence, openConfidences: confidences,
            setting: .init(search: search, errorBudget: errorBudget, review: config.routing.review,
                           decisionsPerPass: config.queue.rerankEvery, humanAccuracy: prices.humanAccuracy,
                           growth: growth, jitter: jitter))
        return BudgetPlan(model: model, targetError: target, budget: budget, prices: prices, forecast: forecast,
                          asTheLoopGoesOn: asTheLoopGoesOn, learnerGrowth: growth, jitter: jitter,
                          cascadeModel: tiers.count > 1 ? tiers[1] : nil,
                          calibratorKind: tiers.map { tier in
                              calibrations[tier]!.calibrator.kind + (tiers.count > 1 ? " (\(tier))" : "")
                          }.joined(separator: ", "),
                          verifiedOutcomes: evidence.count,
                          audits: evidence.filter(\.isAudit).count, openItems: openIds.count, prelabelledOpen: known.count,
                          unprelabelledOpen: missing, awaitingEscalationOpen: awaiting, unusableOpen: unusable)
    }

    /// How far the router's look at an item moves (`ConfidenceJitter`), measured on people's
    /// latest decisions: the confidence each was shown against the one it is scored with now.
    static func jitter(store: any AnnotationStore, scoredNow: [Int64: Double]) throws -> ConfidenceJitter? {
        // Newest first, each item's latest decision, until enough are found. A person labelling
        // from the queue, shown the model's pre-label: an audit shows no confidence, a review
        // shows the votes' label, a skip or flag gives no outcome.
        var seen = Set<Int64>()
        var looks: [(shown: Double, now: Double)] = []
        for decision in try store.effectiveDecisions().reversed() where [.accept, .correct].contains(decision.kind) {
            guard let shown = decision.shownConfidence, let now = scoredNow[decision.itemId],
                  seen.insert(decision.itemId).inserted else { continue }
            looks.append((shown, now))
            if looks.count == ConfidenceJitter.recentDecisions { break }
        }
        return ConfidenceJitter.measure(looks.reversed())
    }

    /// `count` values spread over the distribution of `values`: the midpoints of `count` equal
    /// shares of it, so 3 values over [0.2, 0.5, 0.9] give [0.2, 0.5, 0.9] and 6 give each twice.
    static func spread(_ values: [Double], count: Int) -> [Double] {
        guard count > 0, !values.isEmpty else { return [] }
        let sorted = values.sorted()
        return (0..<count).map { index in
            sorted[min(sorted.count - 1, (2 * index + 1) * sorted.count / (2 * count))]
        }
    }

    init(model: String, targetError: Double, budget: Double?, prices: Prices, forecast: BudgetForecast,
         asTheLoopGoesOn: LoopForecast, learnerGrowth: ConfidenceGrowth? = nil, jitter: ConfidenceJitter? = nil, cascadeModel: String?, calibratorKind: String, verifiedOutcomes: Int, audits: Int, openItems: Int, prelabelledOpen: Int,
         unprelabelledOpen: Int, awaitingEscalationOpen: Int = 0, unusableOpen: Int) {
        self.awaitingEscalationOpen = awaitingEscalationOpen
        self.model = model
        self.targetError = targetError
        self.budget = budget
        self.prices = prices
        self.forecast = forecast
        self.asTheLoopGoesOn = asTheLoopGoesOn
        self.learnerGrowth = learnerGrowth
        self.jitter = jitter
        self.cascadeModel = cascadeModel
        self.calibratorKind = calibratorKind
        self.verifiedOutcomes = verifiedOutcomes
        self.audits = audits
        self.openItems = openItems
        self.prelabelledOpen = prelabelledOpen
        self.unprelabelledOpen = unprelabelledOpen
        self.unusableOpen = unusableOpen
    }
}
