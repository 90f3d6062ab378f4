import Foundation

/// How uncertain the learner is about an item's whole label set, from its per-label probabilities
/// of "in". Each label's uncertainty is its binary entropy in bits (0 at p = 0 or 1, 1 at p = 0.5).
public enum SetUncertaintyMeasure: String, Sendable, Codable, CaseIterable {
    /// The mean over labels: items unsure on many labels first.
    case meanEntropy
    /// The largest over labels: items unsure on any one label first.
    case maxEntropy

    /// −p log₂ p − (1 − p) log₂(1 − p); 0 at 0 and 1.
    public static func binaryEntropy(_ p: Double) -> Double {
        guard p > 0, p < 1 else { return 0 }
        return -(p * log2(p) + (1 - p) * log2(1 - p))
    }

    /// 0...1, higher is more uncertain; 0 for no labels.
    public func uncertainty<C: Collection<Double>>(_ inProbabilities: C) -> Double {
        guard !inProbabilities.isEmpty else { return 0 }
        let entropies = inProbabilities.map(Self.binaryEntropy)
        switch self {
        case .meanEntropy: return entropies.reduce(0, +) / Double(entropies.count)
        case .maxEntropy: return entropies.max() ?? 0
        }
    }
}
