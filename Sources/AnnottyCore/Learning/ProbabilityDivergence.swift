import Foundation

/// Divergences between two probability distributions over the same labels, for measuring how far
/// the LLM's belief is from the learner's.
public enum ProbabilityDivergence {
    /// Kullback–Leibler divergence KL(p ‖ q) in nats; q is floored at 1e-12 so a zero does not give infinity.
    public static func kullbackLeibler<P: Collection<Double>, Q: Collection<Double>>(_ p: P, _ q: Q) -> Double {
        var sum: Double = 0
        for (pi, qi) in zip(p, q) where pi > 0 { sum += pi * log(pi / max(qi, 1e-12)) }
        return max(sum, 0)
    }

    /// Jensen–Shannon divergence in nats: symmetric, finite, between 0 and ln 2.
    public static func jensenShannon<P: Collection<Double>, Q: Collection<Double>>(_ p: P, _ q: Q) -> Double {
        let a = Array(p), b = Array(q)
        let mixture = zip(a, b).map { ($0 + $1) / 2 }
        return 0.5 * kullbackLeibler(a, mixture) + 0.5 * kullbackLeibler(b, mixture)
    }
}
