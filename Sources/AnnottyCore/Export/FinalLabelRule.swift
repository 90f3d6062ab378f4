/// Which label an export writes as an item's final label, chosen with `export --label-from`.
/// Every exported row names the rule that produced its label (`label_from`), so a reader can tell a
/// Dawid-Skene label from a plain plurality.
public enum FinalLabelRule: String, Sendable, CaseIterable {
    /// A reviewer's adjudication where there is one; else the stored aggregate (Dawid-Skene, then
    /// one-coin, then majority, whichever `annotty aggregate` saved); else the plurality.
    case auto
    case aggregateDawidSkene = "aggregate-dawid-skene"
    case aggregateOneCoin = "aggregate-one-coin"
    case aggregateMajority = "aggregate-majority"
    /// The label the queue settled on: most votes among the people's labels, ties to the label
    /// listed first in annotty.toml; the auto-accepted label for auto-accepted items.
    case plurality

    /// The `annotty aggregate --method` whose stored result this rule reads.
    public var aggregateMethod: AggregationRun.Method? {
        switch self {
        case .aggregateDawidSkene: return .dawidSkene
        case .aggregateOneCoin: return .oneCoin
        case .aggregateMajority: return .majority
        case .auto, .plurality: return nil
        }
    }

    /// What `--help` lists.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The label this rule gives `row` and the name of the rule that gave it ("plurality",
    /// "adjudicated", "aggregate-dawid-skene", ...).
    public func resolve(_ row: ExportRow) -> (label: String?, from: String?) {
        resolve(finalLabel: row.finalLabel, finalKind: row.finalKind, aggregates: row.aggregates)
    }

    /// - Parameters:
    ///   - finalLabel, finalKind: the queue's final label for the item and the decision kind behind it.
    ///   - aggregates: the item's stored aggregate labels by `annotty aggregate` method.
    /// An explicit aggregate rule gives no label to an item the aggregate did not cover, rather
    /// than quietly mixing in another rule.
    public func resolve(finalLabel: String?, finalKind: DecisionKind?, aggregates: [String: AggregatedLabel])
        -> (label: String?, from: String?) {
        switch self {
        case .plurality:
            return (finalLabel, finalLabel == nil ? nil : FinalLabelRule.plurality.rawValue)
        case .aggregateDawidSkene, .aggregateOneCoin, .aggregateMajority:
            let label = aggregates[aggregateMethod!.rawValue]?.label
            return (label, label == nil ? nil : rawValue)
        case .auto:
            if finalKind == .adjudicate, let finalLabel { return (finalLabel, "adjudicated") }
            for rule in [FinalLabelRule.aggregateDawidSkene, .aggregateOneCoin, .aggregateMajority] {
                if let label = aggregates[rule.aggregateMethod!.rawValue]?.label { return (label, rule.rawValue) }
            }
            return FinalLabelRule.plurality.resolve(finalLabel: finalLabel, finalKind: finalKind, aggregates: aggregates)
        }
    }

    /// Every item's final label under this rule, for figures about the exported labels.
    public func finalLabels(store: any AnnotationStore) throws -> [Int64: (label: String, kind: DecisionKind?)] {
        let queue = try store.finalLabels()
        var aggregates: [Int64: [String: AggregatedLabel]] = [:]
        for method in AggregationRun.Method.allCases {
            for (itemId, aggregate) in try store.aggregates(method: method.rawValue) {
                aggregates[itemId, default: [:]][method.rawValue] = aggregate
            }
        }
        var result: [Int64: (label: String, kind: DecisionKind?)] = [:]
        for itemId in Set(queue.keys).union(aggregates.keys) {
            let final = queue[itemId]
            if let label = resolve(finalLabel: final?.label, finalKind: final?.kind, aggregates: aggregates[itemId] ?? [:]).label {
                result[itemId] = (label, final?.kind)
            }
        }
        return result
    }
}
