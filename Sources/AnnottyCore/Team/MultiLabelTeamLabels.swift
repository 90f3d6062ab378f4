/// Every person's latest set per item in a multi-label project, as the set agreement and
/// aggregation maths take them (`CrowdMultiLabel`). As `TeamLabels`: reviewers' adjudications are
/// left out (they settle disagreements, they are not a rating), and so are labels that are not a
/// set of the project's labels.
public struct MultiLabelTeamLabels: Sendable {
    public let answers: [CrowdMultiLabel]
    /// Store item id per crowd item index.
    public let itemIds: [Int64]
    public let annotators: [String]

    public var itemCount: Int { itemIds.count }
    public var annotatorCount: Int { annotators.count }

    public init(store: any AnnotationStore, labels: LabelSet) throws {
        var latest: [Int64: [String: Set<Int>]] = [:]
        for decision in try store.effectiveDecisions() where [.accept, .correct, .imported, .audit].contains(decision.kind) {
            guard let label = decision.label, let set = MultiLabelAnswer.decode(label, labels: labels) else { continue }
            latest[decision.itemId, default: [:]][decision.annotator] = set.indices(in: labels)
        }
        let itemIds = latest.keys.sorted()
        let annotators = Array(Set(latest.values.flatMap(\.keys))).sorted()
        let annotatorIndex = Dictionary(uniqueKeysWithValues: annotators.enumerated().map { ($1, $0) })
        var answers: [CrowdMultiLabel] = []
        for (item, itemId) in itemIds.enumerated() {
            for (annotator, set) in latest[itemId]!.sorted(by: { $0.key < $1.key }) {
                answers.append(CrowdMultiLabel(item: item, annotator: annotatorIndex[annotator]!, labels: set))
            }
        }
        self.answers = answers
        self.itemIds = itemIds
        self.annotators = annotators
    }

    /// Gold sets as label indices per crowd item (nil where unknown or not a set of `labels`).
    public func goldSets(_ gold: [Int64: String], labels: LabelSet) -> [Set<Int>?] {
        itemIds.map { id in gold[id].flatMap { MultiLabelAnswer.decode($0, labels: labels) }.map { $0.indices(in: labels) } }
    }
}
