/// A threshold found on pooled evidence is used only once the next pass finds one too.
///
/// Where the shown pre-label pools the task learner's opinion, the threshold's evidence is
/// scored with the learner's out-of-fold opinions, and their folds are drawn afresh each pass: a
/// decided item's confidence moves by a standard deviation of about half a unit of log-odds from
/// one pass to the next on TREC-6. The search's 95% bound holds for one look, but the loop looks
/// every fifth decision, and a pass whose draw happens to leave the few wrong outcomes under a
/// low threshold can auto-accept hundreds at once. Replayed on TREC-6 with `--seed 2`, one such
/// pass at 210 decisions auto-accepted 449 items on 77 outcomes with none wrong; 23 of the 449
/// were wrong, and the replay ended 2.8 points under all-human, over its 2-point budget. Two
/// passes in a row, each on its own draw and the second with five more outcomes, are much less
/// often lucky together; the items auto-accepted are those at or above both thresholds.
///
/// Evidence scored with the LLM's calibrated opinion alone is not re-drawn between passes, so
/// its threshold is used at once (the sample reviews, where the combiner keeps the LLM's label).
public struct ThresholdConfirmation: Sendable, Equatable {
    /// The threshold the previous pass found, before confirmation; nil where it found none.
    public var previousFound: Double?

    public init(previousFound: Double?) {
        self.previousFound = previousFound
    }

    /// The threshold to route with.
    /// - Parameters:
    ///   - found: what this pass's search found.
    ///   - pooled: whether the evidence was scored with opinions re-drawn each pass.
    public func confirmed(_ found: AutoAcceptThresholdSearch.Result, pooled: Bool) -> AutoAcceptThresholdSearch.Result {
        guard pooled, let now = found.threshold else { return found }
        var result = found
        guard let previousFound else {
            result.threshold = nil
            result.reason = "no auto-accept threshold yet: this pass found ≥\(AutoAcceptThresholdSearch.number(now)) "
                + "(\(AutoAcceptThresholdSearch.describe(found))), which waits for the next pass to confirm it: "
                + "the evidence pools the learner's out-of-fold opinions, drawn afresh each pass"
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
