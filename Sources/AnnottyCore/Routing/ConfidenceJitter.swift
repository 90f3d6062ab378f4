import Foundation

/// How far a pre-label's confidence moves from one look to the next, for `LoopForecast`. The
/// loop scores every open item again on each pass (the learner retrained, the calibration and
/// combiner refitted), and auto-accepts an item on the first pass whose score reaches the
/// threshold: among many looks, the items that reach it are the ones whose score happened to be
/// high that pass, and they are right less often than the score says. On TREC-6 the items
/// auto-accepted at 0.95 to 0.98 were right 0.90 to 0.93, while people's pre-labels at the same
/// confidences were right 0.95 to 0.97, and a forecast whose open items never moved was
/// optimistic about accuracy on every path (docs/model-in-the-loop.md).
///
/// Measured, not assumed: on people's latest decisions, the confidence the person was shown
/// then against the confidence the router scores that decision with now, in log-odds, the spread
/// about their mean shift (the trend is `ConfidenceGrowth`'s). Each of the two is one look, each
/// with the jitter on its own, so the spread of the difference is √2 times one look's.
public struct ConfidenceJitter: Sendable, Equatable {
    /// The standard deviation of one look's confidence about the item's own, in log-odds.
    public let logOddsPerLook: Double
    /// How many decisions it was measured on.
    public let decisions: Int

    /// People's latest decisions measured: recent enough that the trend between the two looks is
    /// small next to the jitter (on TREC-6 halfway the spread was 0.37 over the latest 25 and
    /// 1.0 over all of them, most of it the learner's growth).
    public static let recentDecisions = 50
    /// Fewer pairs than this measure nothing.
    public static let minimumDecisions = 20

    public init(logOddsPerLook: Double, decisions: Int) {
        self.logOddsPerLook = logOddsPerLook
        self.decisions = decisions
    }

    /// - Parameter looks: for people's decisions, oldest first, the confidence shown then and the
    ///   confidence it is scored with now; the latest `recentDecisions` count.
    /// - Returns: nil with fewer than `minimumDecisions`.
    public static func measure(_ looks: [(shown: Double, now: Double)]) -> ConfidenceJitter? {
        let recent = looks.suffix(recentDecisions).filter { $0.shown.isFinite && $0.now.isFinite }
        guard recent.count >= minimumDecisions else { return nil }
        let moves = recent.map { LogOdds.of($0.now) - LogOdds.of($0.shown) }
        let mean = moves.reduce(0, +) / Double(moves.count)
        let variance = moves.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(moves.count - 1)
        return ConfidenceJitter(logOddsPerLook: (variance / 2).squareRoot(), decisions: recent.count)
    }

    /// One look at an item whose confidence is `confidence`.
    public func look(at confidence: Double, using generator: inout SeededGenerator) -> Double {
        guard logOddsPerLook > 0, confidence.isFinite else { return confidence }
        // Box-Muller: a standard normal from two uniforms.
        let u1 = max(generator.nextUnitDouble(), .leastNormalMagnitude), u2 = generator.nextUnitDouble()
        let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return LogOdds.probability(LogOdds.of(confidence) + logOddsPerLook * normal)
    }
}
