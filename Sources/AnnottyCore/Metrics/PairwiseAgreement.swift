/// Observed (chance-uncorrected) agreement between raters.
public enum PairwiseAgreement {
    /// Fraction of positions where the two sequences hold the same label.
    /// - Throws: `MetricsError.lengthMismatch` or `.empty`.
    public static func percentAgreement<Label: Equatable>(_ first: [Label], _ second: [Label]) throws -> Double {
        guard first.count == second.count else { throw MetricsError.lengthMismatch(first.count, second.count) }
        guard !first.isEmpty else { throw MetricsError.empty }
        let same = zip(first, second).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(same) / Double(first.count)
    }

    /// Per item, the fraction of ordered label pairs (from different annotations) that agree,
    /// Σ n_c(n_c − 1) / (m(m − 1)); averaged over items with at least two labels. This is Fleiss'
    /// P̄, the observed agreement behind Fleiss' kappa. `.nan` when no item has two labels.
    public static func meanItemAgreement(_ labels: [CrowdLabel]) -> Double {
        var byItem: [Int: [Int: Int]] = [:]
        for label in labels { byItem[label.item, default: [:]][label.label, default: 0] += 1 }
        var sum = 0.0
        var items = 0
        for counts in byItem.values {
            let m = counts.values.reduce(0, +)
            guard m >= 2 else { continue }
            let agreeing = counts.values.reduce(0) { $0 + $1 * ($1 - 1) }
            sum += Double(agreeing) / Double(m * (m - 1))
            items += 1
        }
        return items == 0 ? .nan : sum / Double(items)
    }

    /// For every pair of annotators who labelled at least one common item, how many items they share
    /// and on how many they gave the same label. When an annotator labelled an item more than once,
    /// their last label counts. Sorted by (first, second) annotator index.
    public static func annotatorPairs(_ labels: [CrowdLabel]) -> [AnnotatorPairAgreement] {
        var byItem: [Int: [Int: Int]] = [:]
        for label in labels { byItem[label.item, default: [:]][label.annotator] = label.label }
        var tallies: [Int: [Int: (shared: Int, agreed: Int)]] = [:]
        for annotatorLabels in byItem.values {
            let annotators = annotatorLabels.keys.sorted()
            for (i, first) in annotators.enumerated() {
                for second in annotators[(i + 1)...] {
                    var tally = tallies[first, default: [:]][second, default: (0, 0)]
                    tally.shared += 1
                    if annotatorLabels[first] == annotatorLabels[second] { tally.agreed += 1 }
                    tallies[first, default: [:]][second] = tally
                }
            }
        }
        return tallies.keys.sorted().flatMap { first in
            (tallies[first] ?? [:]).keys.sorted().compactMap { second in
                guard let tally = tallies[first]?[second] else { return nil }
                return AnnotatorPairAgreement(
                    first: first, second: second, sharedItems: tally.shared, agreements: tally.agreed)
            }
        }
    }
}

/// How two annotators agreed on the items both labelled.
public struct AnnotatorPairAgreement: Sendable, Hashable, Codable {
    public let first: Int
    public let second: Int
    public let sharedItems: Int
    public let agreements: Int

    public init(first: Int, second: Int, sharedItems: Int, agreements: Int) {
        self.first = first
        self.second = second
        self.sharedItems = sharedItems
        self.agreements = agreements
    }

    /// agreements / sharedItems.
    public var rate: Double { sharedItems == 0 ? .nan : Double(agreements) / Double(sharedItems) }
}
