/// The error rate of the auto-accepted set, estimated from audits: each audit decision on an
/// auto-accepted item either confirms its label or corrects it.
public struct AuditEstimate: Sendable, Equatable {
    public var audited: Int
    public var errors: Int
    public var errorRate: Double
    /// 95% Wilson interval of the error rate.
    public var lower: Double
    public var upper: Double
    public var target: Double
    /// More audits that would bring the upper bound below the target at the observed rate (nil if
    /// the observed rate is already above it).
    public var moreAuditsNeeded: Int?

    /// Nil when nothing auto-accepted has been audited yet.
    public init?(decisions: [Decision], targetErrorRate: Double) throws {
        var autoLabel: [Int64: String] = [:]
        for decision in decisions where decision.kind == .auto { autoLabel[decision.itemId] = decision.label }
        var outcomes: [Int64: Bool] = [:]
        for decision in decisions where decision.kind == .audit {
            guard let original = autoLabel[decision.itemId] else { continue }
            outcomes[decision.itemId] = decision.label != original
        }
        guard !outcomes.isEmpty else { return nil }
        try self.init(audited: outcomes.count, errors: outcomes.values.filter { $0 }.count, targetErrorRate: targetErrorRate)
    }

    public init(audited: Int, errors: Int, targetErrorRate: Double) throws {
        self.audited = audited
        self.errors = errors
        let interval = try BinomialInterval(successes: errors, trials: audited, confidence: 0.95, method: .wilson)
        errorRate = interval.rate
        lower = interval.lower
        upper = interval.upper
        target = targetErrorRate
        moreAuditsNeeded = upper <= targetErrorRate ? 0
            : BinomialInterval.samplesNeeded(toBoundErrorBelow: targetErrorRate, observedRate: errorRate,
                                             alreadyAudited: audited, method: .wilson, limit: 100_000)
    }
}
