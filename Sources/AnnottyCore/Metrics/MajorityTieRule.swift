/// How majority vote picks one label when several classes share the top vote count.
public enum MajorityTieRule: Sendable, Hashable, Codable {
    /// The smallest tied class index (crowd-kit's `MajorityVote` and numpy `argmax` behave so).
    case lowestClass
    /// The largest tied class index.
    case highestClass
    /// The given class when it is among the tied ones, otherwise the smallest tied class.
    case preferredClass(Int)
    /// A uniformly random tied class; items are visited in index order with one seeded generator,
    /// so a seed always gives the same labels.
    case random(seed: UInt64)
}
