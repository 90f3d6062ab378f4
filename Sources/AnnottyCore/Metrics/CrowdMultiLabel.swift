/// One crowd answer to a multi-label item: `annotator` put exactly `labels` on `item` (an empty set
/// is an answer too: "none of these"). Dense indices, as `CrowdLabel`: `0..<itemCount`,
/// `0..<annotatorCount`, label indices `0..<labelCount`.
public struct CrowdMultiLabel: Sendable, Hashable, Codable {
    public var item: Int
    public var annotator: Int
    public var labels: Set<Int>

    public init(item: Int, annotator: Int, labels: Set<Int>) {
        self.item = item
        self.annotator = annotator
        self.labels = labels
    }
}

extension Collection where Element == CrowdMultiLabel {
    /// Each label as a yes/no question: one binary `CrowdLabel` per answer (class 1 = the label is in
    /// the set, 0 = it is out), so the single-label metrics apply unchanged.
    /// - Throws: `MetricsError.labelOutOfRange` for a label index outside `0..<labelCount`.
    public func binaryLabels(for label: Int, labelCount: Int) throws -> [CrowdLabel] {
        try map { answer in
            if let bad = answer.labels.first(where: { $0 < 0 || $0 >= labelCount }) {
                throw MetricsError.labelOutOfRange(bad)
            }
            return CrowdLabel(item: answer.item, annotator: answer.annotator, label: answer.labels.contains(label) ? 1 : 0)
        }
    }
}
