/// Crowd labels given with string ids (item, annotator, label), encoded to the dense indices the
/// aggregation and agreement functions take. Items and annotators are numbered in order of first
/// appearance; classes are numbered in `classNames` order (sorted ascending unless given).
public struct CrowdLabelSet: Sendable {
    public let labels: [CrowdLabel]
    public let itemIDs: [String]
    public let annotatorIDs: [String]
    public let classNames: [String]

    public var itemCount: Int { itemIDs.count }
    public var annotatorCount: Int { annotatorIDs.count }
    public var classCount: Int { classNames.count }

    /// - Parameter classNames: the class order to use; a label absent from it throws. When nil the
    ///   distinct labels sorted ascending (so "0" < "1", "no" < "yes"), as scikit-learn orders labels.
    public init(triples: [(item: String, annotator: String, label: String)], classNames: [String]? = nil) throws {
        let classes = classNames ?? Array(Set(triples.map(\.label))).sorted()
        var classIndex: [String: Int] = [:]
        for (index, name) in classes.enumerated() { classIndex[name] = index }
        var itemIndex: [String: Int] = [:]
        var annotatorIndex: [String: Int] = [:]
        var items: [String] = []
        var annotators: [String] = []
        var encoded: [CrowdLabel] = []
        encoded.reserveCapacity(triples.count)
        for triple in triples {
            guard let label = classIndex[triple.label] else {
                throw MetricsError.invalidArgument("label \"\(triple.label)\" is not among the class names")
            }
            let item: Int
            if let known = itemIndex[triple.item] { item = known } else {
                item = items.count
                itemIndex[triple.item] = item
                items.append(triple.item)
            }
            let annotator: Int
            if let known = annotatorIndex[triple.annotator] { annotator = known } else {
                annotator = annotators.count
                annotatorIndex[triple.annotator] = annotator
                annotators.append(triple.annotator)
            }
            encoded.append(CrowdLabel(item: item, annotator: annotator, label: label))
        }
        self.labels = encoded
        self.itemIDs = items
        self.annotatorIDs = annotators
        self.classNames = classes
    }
}
