/// Agreement between annotators on entity spans.
public enum SpanAgreement {
    /// One pair of annotators' exact-match F1 over the items both annotated (symmetric: which
    /// one is taken as the reference only swaps precision and recall).
    public struct PairScore: Sendable, Equatable {
        public var first: String
        public var second: String
        public var sharedItems: Int
        public var score: EntityF1
    }

    /// Pairwise exact-match span F1, for every pair of annotators with an item in common, in
    /// annotator-name order. `annotations[annotator][item]` are that annotator's spans on that
    /// item; an annotator who saw an item and marked nothing has an empty list there.
    public static func pairwiseF1(_ annotations: [String: [String: [SpanKey]]]) -> [PairScore] {
        let annotators = annotations.keys.sorted()
        var pairs: [PairScore] = []
        for (index, first) in annotators.enumerated() {
            for second in annotators[(index + 1)...] {
                let firstItems = annotations[first]!
                let secondItems = annotations[second]!
                var score = EntityF1()
                var shared = 0
                for (item, firstSpans) in firstItems {
                    guard let secondSpans = secondItems[item] else { continue }
                    shared += 1
                    score.add(gold: firstSpans, predicted: secondSpans)
                }
                if shared > 0 { pairs.append(PairScore(first: first, second: second, sharedItems: shared, score: score)) }
            }
        }
        return pairs
    }

    /// The mean of the pairs' F1; nil when no two annotators share an item.
    public static func meanPairwiseF1(_ annotations: [String: [String: [SpanKey]]]) -> Double? {
        let pairs = pairwiseF1(annotations)
        guard !pairs.isEmpty else { return nil }
        return pairs.map(\.score.f1).reduce(0, +) / Double(pairs.count)
    }

    /// Two annotators' spans on one item, over the item's tokens.
    public struct TokenPair: Sendable {
        public var item: SpanItem
        public var first: [EntitySpan]
        public var second: [EntitySpan]

        public init(item: SpanItem, first: [EntitySpan], second: [EntitySpan]) {
            self.item = item
            self.first = first
            self.second = second
        }
    }

    /// Cohen's kappa over tokens, each token labelled with its IOB2 tag (`O`, `B-PER`, `I-PER`,
    /// ...) by each annotator, pooled over the items. Boundaries and types both count.
    /// - Throws: `SpanError` for a span off the item's token edges; `MetricsError.empty` with no tokens.
    public static func tokenKappa(_ pairs: [TokenPair]) throws -> Double {
        var firstTags: [String] = []
        var secondTags: [String] = []
        for pair in pairs {
            var item = pair.item
            item.spans = pair.first
            firstTags += try item.bioTags()
            item.spans = pair.second
            secondTags += try item.bioTags()
        }
        return try CohenKappa.score(firstTags, secondTags)
    }
}
