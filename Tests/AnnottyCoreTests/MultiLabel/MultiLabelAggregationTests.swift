import AnnottyCore
import Testing

@Suite("Multi-label aggregation")
struct MultiLabelAggregationTests {
    /// Item 0: {0,1} {0} {0,2} → label 0 in 3/3, labels 1 and 2 in 1/3 → {0}.
    /// Item 1: {1} {1,2} {} → label 1 in 2/3 → {1}.
    /// Item 2: {2} {} from two annotators → label 2 tied 1–1.
    /// Item 3: nobody answered.
    let answers: [CrowdMultiLabel] = [
        .init(item: 0, annotator: 0, labels: [0, 1]), .init(item: 0, annotator: 1, labels: [0]),
        .init(item: 0, annotator: 2, labels: [0, 2]),
        .init(item: 1, annotator: 0, labels: [1]), .init(item: 1, annotator: 1, labels: [1, 2]),
        .init(item: 1, annotator: 2, labels: []),
        .init(item: 2, annotator: 0, labels: [2]), .init(item: 2, annotator: 1, labels: []),
    ]

    @Test("Majority per label: leaving a label out is a no; ties follow the rule; unanswered items have no set")
    func majorityPerLabel() throws {
        let out = try MultiLabelAggregation.majority(answers, itemCount: 4, labelCount: 3)
        #expect(out.sets == [[0], [1], [], nil])
        #expect(out.inProbabilities[0] == [1, 1.0 / 3.0, 1.0 / 3.0])
        #expect(out.inProbabilities[1] == [0, 2.0 / 3.0, 1.0 / 3.0])
        #expect(out.inProbabilities[2] == [0, 0, 0.5])
        let tiedIn = try MultiLabelAggregation.majority(answers, itemCount: 4, labelCount: 3, tieRule: .highestClass)
        #expect(tiedIn.sets[2] == [2])
    }

    @Test("Dawid-Skene per label equals Dawid-Skene on each label's yes/no projection")
    func dawidSkeneMatchesBinaryProjection() throws {
        let out = try MultiLabelAggregation.dawidSkene(answers, itemCount: 4, labelCount: 3)
        for label in 0..<3 {
            let binary = answers.map { CrowdLabel(item: $0.item, annotator: $0.annotator, label: $0.labels.contains(label) ? 1 : 0) }
            let direct = try DawidSkene().fit(binary, itemCount: 4, annotatorCount: 3, classCount: 2)
            for item in 0..<4 {
                #expect(abs(out.inProbabilities[item][label] - direct.posteriors[item][1]) < 1e-12)
                if let set = out.sets[item] { #expect(set.contains(label) == (direct.labels[item] == 1)) }
            }
        }
        #expect(out.sets[3] == nil)
    }

    @Test("Dawid-Skene per label discounts an annotator who ticks every label")
    func dawidSkeneDiscountsAnEverythingTicker() throws {
        // Annotators 0 and 1 agree on one label per item; annotator 2 and 3 tick all three labels, so
        // majority with ties in puts every label in, while Dawid-Skene learns that 2 and 3 say "in"
        // whatever the truth and follows 0 and 1.
        var answers: [CrowdMultiLabel] = []
        for item in 0..<30 {
            let truth = item % 3
            answers.append(.init(item: item, annotator: 0, labels: [truth]))
            answers.append(.init(item: item, annotator: 1, labels: [truth]))
            answers.append(.init(item: item, annotator: 2, labels: [0, 1, 2]))
            answers.append(.init(item: item, annotator: 3, labels: [0, 1, 2]))
        }
        let majority = try MultiLabelAggregation.majority(answers, labelCount: 3, tieRule: .highestClass)
        #expect(majority.sets[0] == [0, 1, 2])
        let dawidSkene = try MultiLabelAggregation.dawidSkene(answers, labelCount: 3)
        #expect(dawidSkene.sets.prefix(6).map { $0 } == [[0], [1], [2], [0], [1], [2]])
    }

    @Test("A label index outside the label count is refused")
    func labelOutOfRange() {
        #expect(throws: MetricsError.labelOutOfRange(3)) {
            try MultiLabelAggregation.majority([.init(item: 0, annotator: 0, labels: [3])], labelCount: 3)
        }
    }
}
