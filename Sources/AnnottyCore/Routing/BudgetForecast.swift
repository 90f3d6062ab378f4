import Foundation

/// Forecasts what labeling the open items will take: how many go to people and how many are
/// auto-accepted, at what threshold, what it costs, and the expected accuracy of the final labels
/// with an interval. Pure: it takes the verified outcomes (calibrated confidence, right or wrong)
/// and the open items' calibrated confidences, so `annotty plan` and the loop can both call it.
///
/// The threshold is the one `AutoAcceptThresholdSearch` sets for the target error. With a budget
/// that cannot pay for people to label everything under it, the threshold is lowered until the
/// people it leaves fit the budget, and the forecast says the target is no longer met.
public struct BudgetForecast: Sendable, Equatable {
    public struct Prices: Sendable, Equatable {
        /// What one person's label costs.
        public var humanPerItem: Double
        /// What pre-labelling one item costs (every open item is pre-labelled once).
        public var modelPerItem: Double
        /// How often a person's label is right (1 when people are taken as the truth).
        public var humanAccuracy: Double

        public init(humanPerItem: Double, modelPerItem: Double, humanAccuracy: Double = 1) {
            self.humanPerItem = humanPerItem
            self.modelPerItem = modelPerItem
            self.humanAccuracy = humanAccuracy
        }
    }

    /// `[routing] auto_accept_error_budget` and the project it applies to.
    public struct ErrorBudgetSetting: Sendable, Equatable {
        public var share: Double
        public var totalItems: Int
        public var alreadyAccepted: Int

        public init(share: Double, totalItems: Int, alreadyAccepted: Int) {
            self.share = share
            self.totalItems = totalItems
            self.alreadyAccepted = alreadyAccepted
        }
    }

    public let openItems: Int
    public let toPeople: Int
    public let autoAccepted: Int
    /// Auto-accept at calibrated confidence ≥ this; nil when nothing is auto-accepted.
    public let threshold: Double?
    /// Whether the threshold is the target's (false: lowered to fit the budget, or nothing fits).
    public let meetsTargetError: Bool
    public let modelCost: Double
    public let humanCost: Double
    public var totalCost: Double { modelCost + humanCost }
    /// Expected share of the open items whose final label is right.
    public let expectedAccuracy: Double
    /// From the interval on the error of verified outcomes at or above the threshold.
    public let accuracyInterval: ClosedRange<Double>
    public let reason: String

    /// - Parameters:
    ///   - outcomes: verified outcomes and audits, each with the calibrated confidence it was routed with.
    ///   - openConfidences: the calibrated confidence of each open item's pre-label.
    ///   - budget: dollars available for the open items, or nil for no limit.
    public static func plan(outcomes: [AutoAcceptThresholdSearch.Evidence], openConfidences: [Double], prices: Prices,
                            budget: Double? = nil,
                            search: AutoAcceptThresholdSearch = AutoAcceptThresholdSearch(),
                            errorBudget: ErrorBudgetSetting? = nil) -> BudgetForecast {
        let sorted = openConfidences.sorted(by: >)
        let count = sorted.count
        let modelCost = prices.modelPerItem * Double(count)
        // The router's own rule: a budget on the final labels when one is set, else the target.
        let targetResult = errorBudget.map { setting in
            search.search(outcomes, within: .init(share: setting.share, totalItems: setting.totalItems,
                                                  alreadyAccepted: setting.alreadyAccepted, openConfidences: openConfidences))
        } ?? search.search(outcomes)
        var threshold = targetResult.threshold
        var automatic = threshold.map { t in sorted.filter { $0 >= t }.count } ?? 0
        var meetsTarget = true
        var reason = targetResult.reason
        if let budget, prices.humanPerItem > 0 {
            let affordable = max(0, Int(((budget - modelCost) / prices.humanPerItem).rounded(.down)))
            if count - automatic > affordable {
                // Auto-accept the most confident items until the rest fit the budget.
                automatic = count - affordable
                threshold = automatic > 0 ? sorted[automatic - 1] : nil
                meetsTarget = false
                reason = String(format: "the budget pays for %d people's labels after $%.2f of pre-labels; ", affordable, modelCost)
                    + (threshold.map { "auto-accepting at ≥\(AutoAcceptThresholdSearch.number($0)) to fit it, not the target's " }
                        ?? "")
                    + "(\(targetResult.reason))"
            }
        }
        let people = count - automatic
        // Expected correctness of each auto-accepted item from the outcomes (an isotonic map of
        // confidence to accuracy kept away from 0 and 1), or its own confidence with no outcomes.
        let map = outcomes.isEmpty ? nil : try? IsotonicCalibration.fitBoundedAwayFromCertainty(
            confidences: outcomes.map(\.confidence), correct: outcomes.map(\.isCorrect))
        let expectedAutoCorrect = sorted.prefix(automatic).reduce(0.0) { $0 + (map?.calibratedConfidence($1) ?? $1) }
        let humanCorrect = Double(people) * prices.humanAccuracy
        let total = Double(max(count, 1))
        let expected = count == 0 ? 1 : (humanCorrect + expectedAutoCorrect) / total
        var interval = expected...expected
        if automatic > 0, let threshold {
            let evidence = outcomes.filter { $0.confidence >= threshold }
            let errorBounds: (lower: Double, upper: Double)
            if evidence.isEmpty {
                errorBounds = (0, 1)
            } else {
                errorBounds = BinomialInterval.bounds(successes: Double(evidence.filter { !$0.isCorrect }.count),
                                                      trials: Double(evidence.count), confidence: search.confidenceLevel,
                                                      method: search.method)
            }
            let low = (humanCorrect + Double(automatic) * (1 - errorBounds.upper)) / total
            let high = (humanCorrect + Double(automatic) * (1 - errorBounds.lower)) / total
            interval = min(low, expected)...max(high, expected)
        }
        return BudgetForecast(openItems: count, toPeople: people, autoAccepted: automatic, threshold: threshold,
                              meetsTargetError: meetsTarget && (budget == nil || modelCost <= budget!),
                              modelCost: modelCost, humanCost: Double(people) * prices.humanPerItem,
                              expectedAccuracy: expected, accuracyInterval: interval, reason: reason)
    }

    public init(openItems: Int, toPeople: Int, autoAccepted: Int, threshold: Double?, meetsTargetError: Bool,
                modelCost: Double, humanCost: Double, expectedAccuracy: Double, accuracyInterval: ClosedRange<Double>,
                reason: String) {
        self.openItems = openItems
        self.toPeople = toPeople
        self.autoAccepted = autoAccepted
        self.threshold = threshold
        self.meetsTargetError = meetsTargetError
        self.modelCost = modelCost
        self.humanCost = humanCost
        self.expectedAccuracy = expectedAccuracy
        self.accuracyInterval = accuracyInterval
        self.reason = reason
    }
}
