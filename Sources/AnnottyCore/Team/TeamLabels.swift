/// Every person's latest label per item, as the agreement and aggregation maths take them.
/// Reviewers' adjudications are left out: they settle disagreements, they are not a rating.
public struct TeamLabels: Sendable {
    public let crowd: CrowdLabelSet
    /// Store item id per crowd item index.
    public let itemIds: [Int64]

    public init(store: any AnnotationStore, labels: LabelSet) throws {
        let decisions = try store.effectiveDecisions()
        var latest: [Int64: [String: String]] = [:]
        for decision in decisions where [.accept, .correct, .imported, .audit].contains(decision.kind) {
            guard let label = decision.label, labels.contains(label) else { continue }
            latest[decision.itemId, default: [:]][decision.annotator] = label
        }
        var triples: [(item: String, annotator: String, label: String)] = []
        for itemId in latest.keys.sorted() {
            for (annotator, label) in latest[itemId]!.sorted(by: { $0.key < $1.key }) {
                triples.append((item: String(itemId), annotator: annotator, label: label))
            }
        }
        crowd = try CrowdLabelSet(triples: triples, classNames: labels.names)
        itemIds = crowd.itemIDs.map { Int64($0)! }
    }

    /// Gold labels as class indices per crowd item (nil where unknown).
    public func goldIndices(_ gold: [Int64: String]) -> [Int?] {
        itemIds.map { id in gold[id].flatMap { crowd.classNames.firstIndex(of: $0) } }
    }
}
