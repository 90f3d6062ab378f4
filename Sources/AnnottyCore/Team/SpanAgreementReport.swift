/// `annotty stats --agreement` on a spans project: for every two people who annotated an item in
/// common, exact-match span F1 (a span agrees only with the same start, end and type) and Cohen's
/// kappa over the items' tokens, each token tagged IOB2 (`O`, `B-PER`, `I-PER`, ...) by each of
/// them; pooled over all pairs as well. F1 leaves out the tokens nobody marked, which is why both
/// are given: kappa credits agreeing on "nothing here", F1 only on entities.
public struct SpanAgreementReport: Sendable {
    public struct Pair: Sendable, Equatable {
        public var first: String
        public var second: String
        public var sharedItems: Int
        public var score: EntityF1
        /// Nil when their tags cannot be compared (overlapping spans in a set, or no tokens).
        public var tokenKappa: Double?
    }

    public var pairs: [Pair]
    public var meanF1: Double?
    /// Kappa over the tokens of every pair's shared items together.
    public var pooledTokenKappa: Double?
    public var annotators: Int
    public var itemsWithTwoOrMore: Int

    public init(store: SQLiteStore) throws {
        let team = try SpanTeamAnnotations(store: store)
        var byAnnotator: [String: [String: [SpanKey]]] = [:]
        for (itemId, sets) in team.sets {
            for (annotator, spans) in sets { byAnnotator[annotator, default: [:]][String(itemId)] = spans.map(\.key) }
        }
        var pairs: [Pair] = []
        var pooled: [SpanAgreement.TokenPair] = []
        var pooledComparable = true
        for score in SpanAgreement.pairwiseF1(byAnnotator) {
            var tokenPairs: [SpanAgreement.TokenPair] = []
            for (itemId, sets) in team.sets {
                guard let first = sets[score.first], let second = sets[score.second],
                      let item = team.spanItem(itemId, cutAt: [first, second]) else { continue }
                tokenPairs.append(SpanAgreement.TokenPair(item: item, first: first, second: second))
            }
            let kappa = try? SpanAgreement.tokenKappa(tokenPairs)
            if kappa == nil { pooledComparable = false }
            pooled += tokenPairs
            pairs.append(Pair(first: score.first, second: score.second, sharedItems: score.sharedItems,
                              score: score.score, tokenKappa: kappa))
        }
        self.pairs = pairs
        self.meanF1 = pairs.isEmpty ? nil : pairs.map(\.score.f1).reduce(0, +) / Double(pairs.count)
        self.pooledTokenKappa = pooledComparable && !pooled.isEmpty ? try? SpanAgreement.tokenKappa(pooled) : nil
        self.annotators = byAnnotator.count
        self.itemsWithTwoOrMore = team.sets.values.filter { $0.count >= 2 }.count
    }

    /// The pairs with the most shared items first, at most `maxPairs` of them.
    public func render(maxPairs: Int) -> String {
        var lines = ["Agreement on entity spans (\(counted(annotators, "annotator")), \(counted(itemsWithTwoOrMore, "item")) with two or more)"]
        guard !pairs.isEmpty else {
            lines.append("  no two people annotated the same item yet")
            return lines.joined(separator: "\n")
        }
        lines.append("  mean pairwise exact-match span F1: \(DecimalFormat.fixed(meanF1!, places: 3))")
        lines.append("  token-level Cohen's kappa (IOB2 tags, all pairs pooled): "
                     + (pooledTokenKappa.map { DecimalFormat.fixed($0, places: 3) } ?? "— (overlapping spans cannot be tagged)"))
        let shown = pairs.sorted { ($0.sharedItems, $1.first, $1.second) > ($1.sharedItems, $0.first, $0.second) }.prefix(maxPairs)
        lines.append("  pair                          items  span F1  precision  recall  token kappa")
        for pair in shown {
            let name = TerminalSafeText.singleLine("\(pair.first) / \(pair.second)", limit: 28)
            lines.append("  " + name.padding(toLength: 30, withPad: " ", startingAt: 0)
                         + String(pair.sharedItems).leftPadded(5)
                         + DecimalFormat.fixed(pair.score.f1, places: 3).leftPadded(9)
                         + DecimalFormat.fixed(pair.score.precision, places: 3).leftPadded(11)
                         + DecimalFormat.fixed(pair.score.recall, places: 3).leftPadded(8)
                         + (pair.tokenKappa.map { DecimalFormat.fixed($0, places: 3) } ?? "—").leftPadded(13))
        }
        if pairs.count > shown.count { lines.append("  (\(pairs.count - shown.count) more pairs; --pairs N lists more)") }
        lines.append("  precision and recall take the first of each pair as the reference")
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? " " + self : String(repeating: " ", count: width - count) + self
    }
}
