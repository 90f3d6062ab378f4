/// The aggregated set per item and, per item and label, the estimated chance the label is in.
public struct MultiLabelAggregate: Sendable, Equatable {
    /// nil for an item without answers.
    public let sets: [Set<Int>?]
    /// `[item][label]`: vote share of "in" (majority) or posterior of "in" (Dawid-Skene).
    public let inProbabilities: [[Double]]

    init(itemCount: Int, perLabel: [(chosen: [Int?], inProbability: [Double])]) {
        sets = (0..<itemCount).map { item in
            guard perLabel.isEmpty || perLabel[0].chosen[item] != nil else { return nil }
            return Set(perLabel.indices.filter { perLabel[$0].chosen[item] == 1 })
        }
        inProbabilities = (0..<itemCount).map { item in perLabel.map { $0.inProbability[item] } }
    }
}
