import Foundation

/// Finds the auto-accept threshold from a target error rate instead of a constant: the lowest
/// calibrated confidence t such that the items at or above t, among verified outcomes and audits,
/// have an error rate whose upper confidence bound stays at or under the target. Too few outcomes
/// to bound the error that tightly means no threshold at all: with none wrong, a 2% target needs
/// about 190 outcomes at or above the threshold (Wilson, 95%), so the search is its own cold start.
///
/// The bound is the interval's upper end at each candidate threshold; scanning every threshold
/// and keeping the lowest that passes is slightly optimistic (a multiple-comparison effect), which
/// the audits of what is then auto-accepted keep in check.
public struct AutoAcceptThresholdSearch: Sendable, Equatable {
    /// One item whose truth is known: its calibrated confidence when it was routed, and whether
    /// the shown label was right.
    public struct Evidence: Sendable, Equatable {
        public var confidence: Double
        public var isCorrect: Bool
        /// From an audit of an auto-accepted item rather than a person's decision on a pre-label.
        public var isAudit: Bool

        public init(confidence: Double, isCorrect: Bool, isAudit: Bool = false) {
            self.confidence = confidence
            self.isCorrect = isCorrect
            self.isAudit = isAudit
        }
    }

    public struct Result: Sendable, Equatable {
        /// The threshold to auto-accept at (confidence ≥ threshold), nil when none meets the target.
        public var threshold: Double?
        /// The evidence behind the threshold, or behind the most promising one when none passes.
        public var outcomesAtOrAbove: Int
        public var auditsAtOrAbove: Int
        public var wrongAtOrAbove: Int
        /// Upper end of the interval on the error rate at or above that threshold.
        public var errorUpperBound: Double?
        /// For a person: which threshold and why, or why none.
        public var reason: String
    }

    /// The setting in annotty.toml's routing section, and its default.
    public static let targetErrorSettingName = "auto_accept_target_error"
    public static let defaultTargetError = 0.02

    public var targetError: Double
    /// Two-sided confidence level of the interval whose upper end is compared with the target.
    public var confidenceLevel: Double
    /// Wilson by default, as the audit estimate in `stats` uses.
    public var method: BinomialInterval.Method

    public init(targetError: Double = defaultTargetError, confidenceLevel: Double = 0.95,
                method: BinomialInterval.Method = .wilson) {
        self.targetError = targetError
        self.confidenceLevel = confidenceLevel
        self.method = method
    }

    public func search(_ evidence: [Evidence]) -> Result {
        search(tallies: Self.tallies(evidence))
    }

    /// The same over evidence already tallied (highest confidence first), as `LoopForecast`
    /// keeps it while it adds outcomes run after run.
    func search(tallies: [Tally]) -> Result {
        let candidates = self.candidates(tallies)
        let target = Self.percent(targetError)
        guard !candidates.isEmpty else {
            return Result(threshold: nil, outcomesAtOrAbove: 0, auditsAtOrAbove: 0, wrongAtOrAbove: 0, errorUpperBound: nil,
                          reason: "no auto-accept threshold yet: no verified outcomes (target error \(target))")
        }
        var passing: Result?
        var mostPromising: Result?
        for result in candidates {
            let upper = result.errorUpperBound!
            if upper <= targetError { passing = result }
            if mostPromising.map({ upper < $0.errorUpperBound! }) ?? true { mostPromising = result }
        }
        let level = Self.percent(confidenceLevel)
        if var found = passing {
            found.reason = "auto-accepting at ≥\(Self.number(found.threshold!)): \(Self.describe(found)), "
                + "error ≤\(Self.percent(found.errorUpperBound!)) at \(level) (target \(target))"
            return found
        }
        var best = mostPromising!
        best.threshold = nil
        var reason = "no auto-accept threshold yet: the most promising, ≥\(Self.number(mostPromising!.threshold!)), has "
            + "\(Self.describe(best)), error ≤\(Self.percent(best.errorUpperBound!)) at \(level) (target \(target))"
        let observed = Double(best.wrongAtOrAbove) / Double(best.outcomesAtOrAbove)
        if let more = BinomialInterval.samplesNeeded(toBoundErrorBelow: targetError, observedRate: observed,
                                                     confidence: confidenceLevel, alreadyAudited: best.outcomesAtOrAbove,
                                                     method: method) {
            reason += "; about \(more) more outcomes like these would reach it"
        } else {
            reason += "; its observed error is at or above the target"
        }
        best.reason = reason
        return best
    }

    /// A budget on the wrong labels auto-accepting may add to a whole project.
    public struct ErrorBudget: Sendable, Equatable {
        /// Share of all items (0.02: two points of final accuracy).
        public var share: Double
        public var totalItems: Int
        /// Items auto-accepted already (they count against the budget at the same error bound).
        public var alreadyAccepted: Int
        /// Calibrated confidence of each open item's pre-label.
        public var openConfidences: [Double]

        public init(share: Double, totalItems: Int, alreadyAccepted: Int, openConfidences: [Double]) {
            self.share = share
            self.totalItems = totalItems
            self.alreadyAccepted = alreadyAccepted
            self.openConfidences = openConfidences
        }
    }

    /// The lowest threshold t at which (items auto-accepted at ≥ t, with those accepted already) ×
    /// (the error's upper bound among verified outcomes at ≥ t) stays within the budget's wrong
    /// labels. Unlike a target on the accepted set's error rate, this trades a slightly higher rate
    /// for many more items where it costs the final labels no more than the budget allows.
    public func search(_ evidence: [Evidence], within budget: ErrorBudget) -> Result {
        search(tallies: Self.tallies(evidence), within: budget)
    }

    func search(tallies: [Tally], within budget: ErrorBudget) -> Result {
        let candidates = self.candidates(tallies)
        let allowed = budget.share * Double(budget.totalItems)
        let budgetText = Self.number(allowed) + " wrong labels (" + Self.percent(budget.share) + " of \(budget.totalItems) items)"
        guard let all = candidates.last else {
            return Result(threshold: nil, outcomesAtOrAbove: 0, auditsAtOrAbove: 0, wrongAtOrAbove: 0, errorUpperBound: nil,
                          reason: "no auto-accept threshold yet: no verified outcomes (budget \(budgetText))")
        }
        let open = budget.openConfidences.filter(\.isFinite).sorted(by: >)
        var openIndex = 0
        var passing: (result: Result, accepted: Int, expected: Double)?
        for result in candidates {
            while openIndex < open.count, open[openIndex] >= result.threshold! { openIndex += 1 }
            let accepted = openIndex + budget.alreadyAccepted
            let expected = result.errorUpperBound! * Double(accepted)
            if expected <= allowed { passing = (result, accepted, expected) }
        }
        let level = Self.percent(confidenceLevel)
        guard var found = passing else {
            return Result(threshold: nil, outcomesAtOrAbove: all.outcomesAtOrAbove, auditsAtOrAbove: all.auditsAtOrAbove,
                          wrongAtOrAbove: all.wrongAtOrAbove, errorUpperBound: nil,
                          reason: "no auto-accept threshold yet: at every threshold the auto-accepted items' error bound "
                            + "would spend more than the budget of \(budgetText)")
        }
        found.result.reason = "auto-accepting at ≥\(Self.number(found.result.threshold!)): \(Self.describe(found.result)), "
            + "error ≤\(Self.percent(found.result.errorUpperBound!)) at \(level); \(found.accepted) items auto-accepted "
            + "then, at most \(Self.number(found.expected)) wrong, within the budget of \(budgetText)"
        return found.result
    }

    /// The evidence at one calibrated confidence.
    struct Tally: Sendable, Equatable {
        var confidence: Double
        var count = 0
        var wrong = 0
        var audits = 0

        mutating func add(_ evidence: Evidence) {
            count += 1
            if !evidence.isCorrect { wrong += 1 }
            if evidence.isAudit { audits += 1 }
        }
    }

    /// The evidence tallied per confidence, highest first. Items at one confidence are in or out
    /// of a threshold together.
    static func tallies(_ evidence: [Evidence]) -> [Tally] {
        let valid = evidence.filter { $0.confidence.isFinite }.sorted { $0.confidence > $1.confidence }
        var tallies: [Tally] = []
        for item in valid {
            if tallies.last?.confidence != item.confidence { tallies.append(Tally(confidence: item.confidence)) }
            tallies[tallies.count - 1].add(item)
        }
        return tallies
    }

    /// Every candidate threshold, highest first, with the evidence at or above it and the upper
    /// end of the interval on its error rate (reason left empty).
    private func candidates(_ tallies: [Tally]) -> [Result] {
        var candidates: [Result] = []
        candidates.reserveCapacity(tallies.count)
        var count = 0, wrong = 0, audits = 0
        for tally in tallies {
            count += tally.count
            wrong += tally.wrong
            audits += tally.audits
            let upper = BinomialInterval.bounds(successes: Double(wrong), trials: Double(count),
                                                confidence: confidenceLevel, method: method).upper
            candidates.append(Result(threshold: tally.confidence, outcomesAtOrAbove: count, auditsAtOrAbove: audits,
                                     wrongAtOrAbove: wrong, errorUpperBound: upper, reason: ""))
        }
        return candidates
    }

    static func describe(_ result: Result) -> String {
        let audits = result.auditsAtOrAbove > 0 ? " (\(result.auditsAtOrAbove) of them audits)" : ""
        return "\(result.outcomesAtOrAbove) verified outcome\(result.outcomesAtOrAbove == 1 ? "" : "s") at or above it\(audits), "
            + "\(result.wrongAtOrAbove) wrong"
    }

    static func percent(_ value: Double) -> String {
        let scaled = value * 100
        return (scaled == scaled.rounded() ? String(format: "%.0f", scaled) : String(format: "%.1f", scaled)) + "%"
    }

    static func number(_ value: Double) -> String {
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") && text.contains(".") && !text.hasSuffix(".0") { text.removeLast() }
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}
