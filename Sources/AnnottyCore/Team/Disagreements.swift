/// Items on which people gave different labels and no reviewer has ruled yet, each with what
/// everyone said (and the LLM's label), for `annotty review`.
///
/// Each item comes with a suggested final label as its pre-label, so that Enter accepts it: the
/// stored Dawid-Skene result (`annotty aggregate`) when there is one, else the plurality of the
/// people's latest labels, else (a tie) none.
public enum Disagreements {
    /// The model name a suggestion from `annotty aggregate --method dawid-skene` carries.
    public static let dawidSkeneSuggestion = "Dawid-Skene"
    /// The model name a suggestion by plurality carries.
    public static let majoritySuggestion = "majority vote"

    /// `closeOnly` keeps the close votes: the two most given labels are at most one vote apart.
    public static func find(store: any AnnotationStore, labels: LabelSet, closeOnly: Bool = false) throws -> [QueuedItem] {
        var latest: [Int64: [String: Decision]] = [:]
        var adjudicated: Set<Int64> = []
        for decision in try store.effectiveDecisions() {
            if decision.kind == .adjudicate { adjudicated.insert(decision.itemId) }
            guard [.accept, .correct, .imported, .audit].contains(decision.kind), decision.label != nil else { continue }
            latest[decision.itemId, default: [:]][decision.annotator] = decision
        }
        let disputed = latest.filter { itemId, byPerson in
            guard !adjudicated.contains(itemId) else { return false }
            let votes = byPerson.values.compactMap(\.label)
            guard Set(votes).count > 1 else { return false }
            return !closeOnly || isClose(votes)
        }.keys.sorted()
        let items = try store.items(ids: disputed)
        let predictions = try store.latestPredictions(itemIds: disputed)
        let dawidSkene = try store.aggregates(method: "dawid-skene")
        return items.map { item in
            let decisions = latest[item.id]!.values.sorted { $0.id < $1.id }
            let votes = decisions.map { ItemVote(annotator: $0.annotator, label: $0.label!) }
            var opinions = votes.map { "\($0.annotator): \($0.label)" }
            var modelLabel: String?
            if let prediction = predictions[item.id], prediction.isValid, prediction.source != .imported, let label = prediction.label {
                opinions.append("LLM: \(label)")
                modelLabel = label
            }
            return QueuedItem(item: item, prediction: suggestion(itemId: item.id, votes: votes, labels: labels,
                                                                  stored: dawidSkene[item.id]),
                              opinions: opinions, votes: votes, modelLabel: modelLabel)
        }
    }

    /// Whether the two most given labels are at most one vote apart.
    public static func isClose(_ votes: [String]) -> Bool {
        let counts = Dictionary(votes.map { ($0, 1) }, uniquingKeysWith: +).values.sorted(by: >)
        guard counts.count > 1 else { return false }
        return counts[0] - counts[1] <= 1
    }

    /// The suggested final label as a prediction: Dawid-Skene's when stored, else a plurality.
    static func suggestion(itemId: Int64, votes: [ItemVote], labels: LabelSet, stored: AggregatedLabel?) -> Prediction? {
        if let stored, let label = stored.label, labels.contains(label) {
            return Prediction(itemId: itemId, model: dawidSkeneSuggestion, source: .imported, label: label,
                              probabilities: stored.posteriors)
        }
        let counts = Dictionary(votes.map { ($0.label, 1) }, uniquingKeysWith: +)
        guard let top = counts.values.max() else { return nil }
        let leaders = counts.filter { $0.value == top }.map(\.key)
        guard leaders.count == 1, let label = leaders.first, labels.contains(label) else { return nil }
        let shares = counts.mapValues { Double($0) / Double(votes.count) }
        return Prediction(itemId: itemId, model: majoritySuggestion, source: .imported, label: label, probabilities: shares)
    }
}
