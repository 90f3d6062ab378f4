/// How far apart two label sets are, for Krippendorff's alpha over set-valued answers.
/// Two equal sets (two empty ones included) are at distance 0; disjoint sets at 1.
public enum LabelSetDistance: String, Sendable, Codable, CaseIterable {
    /// MASI (Passonneau 2006): 1 − J·M, J the Jaccard index and M = 1 when the sets are equal, 2/3 when
    /// one is a subset of the other, 1/3 when they overlap otherwise, 0 when disjoint. Partial answers
    /// that nest count as closer than ones that merely overlap. As nltk's `masi_distance`.
    case masi
    /// 1 − |A ∩ B| / |A ∪ B|.
    case jaccard

    public func distance<Element: Hashable>(_ first: Set<Element>, _ second: Set<Element>) -> Double {
        if first == second { return 0 }
        let shared = first.intersection(second).count
        let union = first.count + second.count - shared
        let jaccard = Double(shared) / Double(union)
        switch self {
        case .jaccard:
            return 1 - jaccard
        case .masi:
            let monotonicity: Double
            if shared == 0 {
                monotonicity = 0
            } else if shared == first.count || shared == second.count {
                monotonicity = 2.0 / 3.0
            } else {
                monotonicity = 1.0 / 3.0
            }
            return 1 - jaccard * monotonicity
        }
    }
}
