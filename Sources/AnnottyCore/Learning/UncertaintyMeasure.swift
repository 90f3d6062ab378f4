import Foundation

/// The standard uncertainty measures over one item's class probabilities.
public enum UncertaintyMeasure: String, Sendable, Codable, CaseIterable {
    /// 1 − max p.
    case leastConfidence
    /// Breaking ties: p(first) − p(second); a small margin is uncertain.
    case margin
    /// Shannon entropy in nats.
    case entropy

    /// 1 − max p. For [0.5, 0.3, 0.2]: 0.5.
    public static func leastConfidence<C: Collection<Double>>(_ probabilities: C) -> Double {
        1 - (probabilities.max() ?? 0)
    }

    /// Top probability minus the runner-up. For [0.5, 0.3, 0.2]: 0.2. A single class has margin 1.
    public static func margin<C: Collection<Double>>(_ probabilities: C) -> Double {
        var first = -Double.infinity
        var second = -Double.infinity
        for p in probabilities {
            if p > first {
                second = first
                first = p
            } else if p > second {
                second = p
            }
        }
        guard first.isFinite else { return 0 }
        return second.isFinite ? first - second : 1
    }

    /// −Σ p ln p in nats (0 ln 0 = 0). For [0.5, 0.3, 0.2]: 1.029653.
    public static func entropy<C: Collection<Double>>(_ probabilities: C) -> Double {
        var sum: Double = 0
        for p in probabilities where p > 0 { sum -= p * log(p) }
        return sum
    }

    /// How uncertain the item is on a 0...1 scale where higher means more uncertain:
    /// least confidence scaled by its maximum (1 − 1/K), 1 − margin, and entropy over ln K.
    /// The order of items under each measure is unchanged by the scaling.
    public func normalizedUncertainty<C: Collection<Double>>(_ probabilities: C) -> Double {
        let classes = Double(max(probabilities.count, 2))
        switch self {
        case .leastConfidence: return Self.leastConfidence(probabilities) / (1 - 1 / classes)
        case .margin: return 1 - Self.margin(probabilities)
        case .entropy: return Self.entropy(probabilities) / log(classes)
        }
    }
}
