/// Datasets from the multi-label formats' records, for `annotty simulate --task multi` on JSONL.
extension MultiLabelDataset {
    /// `records` over `labelNames`, or, without them, over every label the records use, sorted (as
    /// scikit-learn's `MultiLabelBinarizer` orders classes). Records without an answer are left out.
    public init(records: [MultiLabelRecord], labelNames: [String]? = nil) {
        let answered = records.filter(\.isAnswered)
        let names = labelNames ?? Array(Set(answered.flatMap(\.labels))).sorted()
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        self.init(texts: answered.map(\.text), labelSets: answered.map { Set($0.labels.compactMap { index[$0] }) }, labelNames: names)
    }

    /// A seeded random split: `testFraction` of the items (at least one) for testing, the rest for training.
    public func split(testFraction: Double, seed: UInt64) -> (train: MultiLabelDataset, test: MultiLabelDataset) {
        var generator = SeededGenerator(seed: seed)
        var order = Array(0..<count)
        order.shuffle(using: &generator)
        let testCount = min(count, max(1, Int((Double(count) * testFraction).rounded())))
        return (subset(Array(order.dropFirst(testCount))), subset(Array(order.prefix(testCount))))
    }
}
