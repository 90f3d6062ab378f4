/// Thresholds on calibrated confidence that decide who labels an item.
public struct RoutingSettings: Sendable, Equatable {
    /// At or above: accepted automatically (and eligible for audit).
    public var autoAccept: Double = 0.95
    /// Below: straight to a person, first. Between the two: to a person after the low ones.
    public var review: Double = 0.7
    /// Per-label overrides of `autoAccept`.
    public var autoAcceptPerLabel: [String: Double] = [:]
    /// No auto-accept before the model has this many verified outcomes (cold start).
    public var minVerifiedOutcomes: Int = 50
    /// No auto-accept by a model whose measured accuracy on verified outcomes is below this.
    public var accuracyFloor: Double = 0.9
    /// When set, the auto-accept threshold comes from this target instead of `autoAccept`: the
    /// lowest threshold whose error on verified outcomes, at its 95% upper bound, stays under it
    /// (`AutoAcceptThresholdSearch`). The accuracy floor then no longer applies: the bound is on
    /// exactly the items that would be accepted.
    public var autoAcceptTargetError: Double?
    /// When set, the threshold comes from a budget on the whole project instead: the lowest
    /// threshold at which the auto-accepted items' expected wrong labels (their count times the
    /// error bound at that threshold) stay within this share of all items, i.e. auto-accepting
    /// costs the final labels at most this much accuracy. Takes precedence over the target error.
    public var autoAcceptErrorBudget: Double?
    /// The error rate an audit tries to bound the auto-accepted set below.
    public var auditTargetErrorRate: Double = 0.05

    public init() {}

    public func autoAcceptThreshold(for label: String) -> Double {
        autoAcceptPerLabel[label] ?? autoAccept
    }
}
