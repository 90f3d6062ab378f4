/// Crowd answers to multi-label items aggregated one label at a time: each label is a yes/no
/// question answered by everyone who answered the item (leaving a label out is a "no"), settled by
/// majority vote or Dawid-Skene, and the labels settled "yes" make the item's set.
public enum MultiLabelAggregation {
    /// Majority vote per label. Classes are 0 = out, 1 = in, so `.lowestClass` (the default) leaves a
    /// tied label out and `.highestClass` puts it in.
    public static func majority(_ answers: [CrowdMultiLabel], itemCount: Int? = nil, labelCount: Int,
                                tieRule: MajorityTieRule = .lowestClass) throws -> MultiLabelAggregate {
        let items = itemCount ?? (answers.map(\.item).max() ?? -1) + 1
        var perLabel: [(chosen: [Int?], inProbability: [Double])] = []
        for label in 0..<labelCount {
            let vote = try MajorityVote(try answers.binaryLabels(for: label, labelCount: labelCount),
                                        itemCount: items, classCount: 2, tieRule: tieRule)
            perLabel.append((vote.labels, vote.shares.map { $0[1] }))
        }
        return MultiLabelAggregate(itemCount: items, perLabel: perLabel)
    }

    /// Dawid-Skene per label: each annotator gets a 2×2 confusion matrix (or one accuracy) per label.
    /// `inProbabilities` are the posteriors of "in"; an item nobody answered gets the label's prior
    /// there and a nil set.
    public static func dawidSkene(_ answers: [CrowdMultiLabel], itemCount: Int? = nil, annotatorCount: Int? = nil,
                                  labelCount: Int, model: DawidSkene = DawidSkene()) throws -> MultiLabelAggregate {
        guard !answers.isEmpty else { throw MetricsError.empty }
        let items = itemCount ?? (answers.map(\.item).max() ?? -1) + 1
        let annotators = annotatorCount ?? (answers.map(\.annotator).max() ?? -1) + 1
        var perLabel: [(chosen: [Int?], inProbability: [Double])] = []
        for label in 0..<labelCount {
            let result = try model.fit(try answers.binaryLabels(for: label, labelCount: labelCount),
                                       itemCount: items, annotatorCount: annotators, classCount: 2)
            perLabel.append((result.labels, result.posteriors.map { $0[1] }))
        }
        return MultiLabelAggregate(itemCount: items, perLabel: perLabel)
    }
}
