/// A threshold found on pooled evidence is used only once the next pass finds one too.
///
/// Where the shown pre-label pools the task learner's opinion, the threshold's evidence is
/// scored with the learner's out-of-fold opinions, which move from pass to pass as the learner is
/// retrained. The search's 95% bound holds for one look, but the loop looks every fifth decision,
/// and a pass whose evidence happens to leave the few wrong outcomes under a low threshold can
/// auto-accept hundreds at once. With folds drawn afresh each pass (before `StableFolds`), a
/// replay on TREC-6 with `--seed 2` auto-accepted 449 items at 210 decisions on 77 outcomes with
/// none wrong; 23 of the 449 were wrong, and the replay ended 2.8 points under all-human, over its
/// 2-point budget. With stable folds the evidence moves only as the learner learns, and still,
/// without this rule, one path of three ended with 3.6% of the auto-accepted wrong (1.5 points
/// under all-human, against 1.0 at most with it). Two passes in a row, the second with five more
/// outcomes, are much less often lucky together; the items auto-accepted are those at or above
/// both thresholds.
///
/// Evidence scored with the LLM's calibrated opinion alone does not move between passes but by
/// new outcomes, so its threshold is used at once (the sample reviews while the combiner keeps
/// the LLM's label).
public struct ThresholdConfirmation: Sendable, Equatable {
    /// The threshold the previous pass found, before confirmation; nil where it found none.
    public var previousFound: Double?

    public init(previousFound: Double?) {
        self.previousFound = previousFound
    }

    /// The threshold to route with.
    /// - Parameters:
    ///   - found: what this pass's search found.
    ///   - pooled: whether the evidence was scored with the learner's opinions, retrained each pass.
    public func confirmed(_ found: AutoAcceptThresholdSearch.Result, pooled: Bool) -> AutoAcceptThresholdSearch.Result {
        guard pooled, let now = found.threshold else { return found }
        var result = found
        guard let previousFound else {
            result.threshold = nil
            result.reason = "no auto-accept threshold yet: this pass found ≥\(AutoAcceptThresholdSearch.number(now)) "
                + "(\(AutoAcceptThresholdSearch.describe(found))), which waits for the next pass to confirm it: "
                + "the evidence pools the learner's out-of-fold opinions, which move as it is retrained"
            return result
        }
        if previousFound > now {
            result.threshold = previousFound
            result.reason = "auto-accepting at ≥\(AutoAcceptThresholdSearch.number(previousFound)), the threshold of the pass "
                + "before, which this pass confirms; this pass alone: " + found.reason
        }
        return result
    }
}
