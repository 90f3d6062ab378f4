/// `annotty aggregate` on a spans project: span majority (`SpanMajority`) over the people's latest
/// sets on each item, stored as the `majority` aggregate that `export` then takes as the final set
/// (`FinalLabelRule`). Each kept or dropped span's share of the item's annotators is stored as its
/// posterior, keyed by `SpanKey.text`.
public struct SpanAggregationRun {
    public let store: SQLiteStore

    public init(store: SQLiteStore) { self.store = store }

    public struct Outcome: Sendable, Equatable {
        public var items: Int
        public var keptSpans: Int
        /// Spans someone marked that the majority left out.
        public var droppedSpans: Int
        /// Spans exactly half of an item's annotators marked (kept only with `keepingTies`).
        public var tiedSpans: Int
        /// Items only one person annotated: their set is the aggregate.
        public var singleAnnotatorItems: Int
        /// Exact-match entity F1 of the aggregated sets against the gold sets, over the items with both.
        public var againstGold: EntityF1? = nil
        public var scoredItems: Int = 0
    }

    public func run(keepingTies: Bool = false) throws -> Outcome {
        let team = try SpanTeamAnnotations(store: store)
        var outcome = Outcome(items: 0, keptSpans: 0, droppedSpans: 0, tiedSpans: 0, singleAnnotatorItems: 0)
        var aggregates: [AggregatedLabel] = []
        for itemId in team.sets.keys.sorted() {
            let byAnnotator = team.sets[itemId]!
            let sets = byAnnotator.keys.sorted().map { byAnnotator[$0]! }
            let kept = SpanMajority.aggregate(sets, keepingTies: keepingTies)
            var votes: [SpanKey: Int] = [:]
            for set in sets {
                for key in Set(set.map(\.key)) { votes[key, default: 0] += 1 }
            }
            let share = votes.reduce(into: [String: Double]()) { $0[$1.key.text] = Double($1.value) / Double(sets.count) }
            outcome.items += 1
            outcome.keptSpans += kept.count
            outcome.droppedSpans += votes.count - kept.count
            outcome.tiedSpans += votes.values.filter { 2 * $0 == sets.count }.count
            if sets.count == 1 { outcome.singleAnnotatorItems += 1 }
            aggregates.append(AggregatedLabel(itemId: itemId, label: SpanAnnotation.label(for: kept), posteriors: share))
        }
        try store.replaceAggregates(method: AggregationRun.Method.majority.rawValue, aggregates)
        let gold = try store.goldLabels()
        var score = EntityF1()
        for aggregate in aggregates {
            guard let goldLabel = gold[aggregate.itemId], let goldKeys = SpanAnnotation.keys(inLabel: goldLabel),
                  let keys = aggregate.label.flatMap(SpanAnnotation.keys(inLabel:)) else { continue }
            score.add(gold: goldKeys, predicted: keys)
            outcome.scoredItems += 1
        }
        if outcome.scoredItems > 0 { outcome.againstGold = score }
        return outcome
    }
}
