/// One crowd label: `annotator` gave class `label` to `item`. All three are dense indices
/// (`0..<itemCount`, `0..<annotatorCount`, `0..<classCount`); `CrowdLabelSet` builds them from string ids.
public struct CrowdLabel: Sendable, Hashable, Codable {
    public var item: Int
    public var annotator: Int
    public var label: Int

    public init(item: Int, annotator: Int, label: Int) {
        self.item = item
        self.annotator = annotator
        self.label = label
    }
}

extension Collection where Element == CrowdLabel {
    /// `max(label) + 1`, or 0 when empty.
    var impliedClassCount: Int { (self.map(\.label).max() ?? -1) + 1 }
    /// `max(item) + 1`, or 0 when empty.
    var impliedItemCount: Int { (self.map(\.item).max() ?? -1) + 1 }
    /// `max(annotator) + 1`, or 0 when empty.
    var impliedAnnotatorCount: Int { (self.map(\.annotator).max() ?? -1) + 1 }

    /// Per item, how many labels of each class it received: `[item][class]`.
    func voteCounts(itemCount: Int, classCount: Int) throws -> [[Int]] {
        var counts = Array(repeating: Array(repeating: 0, count: classCount), count: itemCount)
        for annotation in self {
            guard annotation.label >= 0, annotation.label < classCount else {
                throw MetricsError.labelOutOfRange(annotation.label)
            }
            guard annotation.item >= 0, annotation.item < itemCount else {
                throw MetricsError.invalidArgument("item index \(annotation.item) outside 0..<\(itemCount)")
            }
            counts[annotation.item][annotation.label] += 1
        }
        return counts
    }
}
