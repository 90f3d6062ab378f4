import Foundation

/// A model's predictions with gold labels, one JSON object per line:
/// `{"id": …, "gold": "label", "probabilities": {"label": p, …}}`, as
/// scripts/record-model-predictions.sh writes them from real runs of the local model.
public struct PredictionFixture: Sendable {
    public let labels: LabelSet
    public let ids: [String]
    public let cases: [RoutingSimulation.Case]

    public init(path: String) throws {
        let reader = try LineReader(path: path)
        var rows: [(id: String, gold: String, probabilities: [(String, Double)])] = []
        try reader.forEachLine { bytes, line in
            let value: JSONValue
            do { value = try JSONParser.parse(bytes) } catch {
                throw InputError(file: path, line: line, message: "not valid JSON (\(error))")
            }
            guard let id = value["id"]?.plainText, let gold = value["gold"]?.stringValue,
                  let members = value["probabilities"]?.objectMembers else {
                throw InputError(file: path, line: line, message: "needs id, gold and probabilities")
            }
            rows.append((id, gold, members.compactMap { member in member.value.doubleValue.map { (member.key, $0) } }))
            return true
        }
        // The label set is every label seen, in a fixed (sorted) order.
        let names = Set(rows.flatMap { $0.probabilities.map(\.0) } + rows.map(\.gold)).sorted()
        labels = LabelSet(names: names)
        ids = rows.map(\.id)
        cases = rows.map { row in
            let byName = Dictionary(row.probabilities, uniquingKeysWith: { first, _ in first })
            return RoutingSimulation.Case(text: row.id, probabilities: names.map { byName[$0] ?? 0 },
                                          gold: names.firstIndex(of: row.gold)!)
        }
    }

    /// The cases as verified outcomes: every prediction checked against its gold label.
    public func outcomes(model: String) -> VerifiedOutcomes {
        VerifiedOutcomes(model: model, outcomes: cases.enumerated().map { index, item in
            let predicted = item.probabilities.indices.max { item.probabilities[$0] < item.probabilities[$1] } ?? 0
            return VerifiedOutcomes.Outcome(itemId: Int64(index + 1), probabilities: item.probabilities,
                                            predictedIndex: predicted, trueIndex: item.gold)
        })
    }
}
