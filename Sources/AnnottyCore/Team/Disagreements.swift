/// Items on which people gave different labels and no reviewer has ruled yet, each with what
/// everyone said (and the LLM's label), for `annotty review`.
public enum Disagreements {
    public static func find(store: any AnnotationStore, labels: LabelSet) throws -> [QueuedItem] {
        var latest: [Int64: [String: Decision]] = [:]
        var adjudicated: Set<Int64> = []
        for decision in try store.effectiveDecisions() {
            if decision.kind == .adjudicate { adjudicated.insert(decision.itemId) }
            guard [.accept, .correct, .imported, .audit].contains(decision.kind), decision.label != nil else { continue }
            latest[decision.itemId, default: [:]][decision.annotator] = decision
        }
        let disputed = latest.filter { itemId, byPerson in
            !adjudicated.contains(itemId) && Set(byPerson.values.compactMap(\.label)).count > 1
        }.keys.sorted()
        let items = try store.items(ids: disputed)
        let predictions = try store.latestPredictions(itemIds: disputed)
        return items.map { item in
            var opinions = latest[item.id]!.values.sorted { $0.id < $1.id }.map { "\($0.annotator): \($0.label!)" }
            if let prediction = predictions[item.id], prediction.isValid, prediction.source != .imported, let label = prediction.label {
                opinions.append("LLM: \(label)")
            }
            return QueuedItem(item: item, prediction: nil, opinions: opinions)
        }
    }
}
