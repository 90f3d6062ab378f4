import AnnottyCore
import AnnottyTestSupport
import Testing

@Suite("Agreement coefficients")
struct AgreementTests {
    let first = [0, 1, 2, 2, 1, 0, 1, 2]
    let second = [0, 2, 2, 1, 1, 0, 1, 2]

    @Test("Cohen's kappa matches scikit-learn on the three weightings")
    func cohenKappaReferenceVector() throws {
        #expect(abs(try CohenKappa.score(first, second) - 0.619048) < 1e-6)
        #expect(abs(try CohenKappa.score(first, second, weighting: .linear) - 0.703704) < 1e-6)
        #expect(abs(try CohenKappa.score(first, second, weighting: .quadratic) - 0.794872) < 1e-6)
    }

    @Test("Cohen's kappa weights use sorted label positions, so string labels give the same figures")
    func cohenKappaOnStrings() throws {
        let names = ["low", "mid", "top"]  // sorted order equals class order
        let a = first.map { names[$0] }, b = second.map { names[$0] }
        #expect(abs(try CohenKappa.score(a, b, weighting: .quadratic) - 0.794872) < 1e-6)
    }

    @Test("Cohen's kappa rejects sequences of different length and is NaN when undefined")
    func cohenKappaEdgeCases() throws {
        #expect(throws: MetricsError.lengthMismatch(2, 1)) { try CohenKappa.score([0, 1], [0]) }
        #expect(try CohenKappa.score([1, 1, 1], [1, 1, 1]).isNaN)
        #expect(try CohenKappa.score([0, 1, 0, 1], [1, 0, 1, 0]) == -1)
    }

    @Test("Confusion matrix counts pairs with the first sequence on rows")
    func confusionMatrixCounts() throws {
        let matrix = try ConfusionMatrix(first, second)
        #expect(matrix.labels == [0, 1, 2])
        #expect(matrix.counts == [[2, 0, 0], [0, 2, 1], [0, 1, 2]])
        #expect(matrix.count(1, 2) == 1)
        #expect(matrix.agreements == 6)
        #expect(matrix.percentAgreement == 0.75)
        let two = matrix.perLabel[2]
        #expect(two.truePositives == 2 && two.falsePositives == 1 && two.falseNegatives == 1)
        #expect(abs(two.f1 - 2.0 / 3.0) < 1e-12)
    }

    @Test("Percent agreement and pairwise agreement on hand-counted items")
    func pairwiseAgreement() throws {
        #expect(try PairwiseAgreement.percentAgreement(first, second) == 0.75)
        // Item 0: labels 0,0,1 → pairs agreeing 2 of 6; item 1: 1,1 → 2 of 2; item 2 has one label.
        let labels = [
            CrowdLabel(item: 0, annotator: 0, label: 0), CrowdLabel(item: 0, annotator: 1, label: 0),
            CrowdLabel(item: 0, annotator: 2, label: 1), CrowdLabel(item: 1, annotator: 0, label: 1),
            CrowdLabel(item: 1, annotator: 2, label: 1), CrowdLabel(item: 2, annotator: 1, label: 0),
        ]
        #expect(abs(PairwiseAgreement.meanItemAgreement(labels) - (1.0 / 3.0 + 1.0) / 2) < 1e-12)
        let pairs = PairwiseAgreement.annotatorPairs(labels)
        #expect(pairs == [
            AnnotatorPairAgreement(first: 0, second: 1, sharedItems: 1, agreements: 1),
            AnnotatorPairAgreement(first: 0, second: 2, sharedItems: 2, agreements: 1),
            AnnotatorPairAgreement(first: 1, second: 2, sharedItems: 1, agreements: 0),
        ])
    }

    /// Krippendorff (2011), "Computing Krippendorff's alpha-reliability", 4 coders × 12 units.
    static let krippendorffData: [[Double?]] = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
        [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
    ]

    @Test("Krippendorff's alpha reproduces the 2011 worked example at every level",
          arguments: [(KrippendorffAlpha.Level.nominal, 0.7434), (.ordinal, 0.8154), (.interval, 0.8491), (.ratio, 0.7974)])
    func krippendorffWorkedExample(level: KrippendorffAlpha.Level, expected: Double) throws {
        let alpha = try KrippendorffAlpha.alpha(reliabilityData: Self.krippendorffData, level: level)
        #expect(abs(alpha - expected) < 1e-4)
    }

    @Test("Krippendorff's alpha from crowd labels equals the reliability-data form for shift-invariant levels",
          arguments: [KrippendorffAlpha.Level.nominal, .ordinal, .interval])
    func krippendorffFromCrowdLabels(level: KrippendorffAlpha.Level) throws {
        // Values 1…5 become classes 0…4: a shift, which nominal, ordinal and interval ignore.
        var labels: [CrowdLabel] = []
        for (coder, row) in Self.krippendorffData.enumerated() {
            for (unit, value) in row.enumerated() {
                if let value { labels.append(CrowdLabel(item: unit, annotator: coder, label: Int(value) - 1)) }
            }
        }
        let fromLabels = try KrippendorffAlpha.alpha(labels, level: level)
        let fromData = try KrippendorffAlpha.alpha(reliabilityData: Self.krippendorffData, level: level)
        #expect(abs(fromLabels - fromData) < 1e-12)
    }

    @Test("String triples encode to dense indices with classes in sorted order")
    func crowdLabelSet() throws {
        let set = try CrowdLabelSet(triples: [
            (item: "q7", annotator: "ann", label: "yes"), (item: "q7", annotator: "bob", label: "no"),
            (item: "q2", annotator: "bob", label: "yes"), (item: "q2", annotator: "cy", label: "yes"),
        ])
        #expect(set.classNames == ["no", "yes"])
        #expect(set.itemIDs == ["q7", "q2"] && set.annotatorIDs == ["ann", "bob", "cy"])
        #expect(set.labels == [
            CrowdLabel(item: 0, annotator: 0, label: 1), CrowdLabel(item: 0, annotator: 1, label: 0),
            CrowdLabel(item: 1, annotator: 1, label: 1), CrowdLabel(item: 1, annotator: 2, label: 1),
        ])
        #expect(throws: MetricsError.self) {
            try CrowdLabelSet(triples: [(item: "a", annotator: "b", label: "maybe")], classNames: ["no", "yes"])
        }
    }

    @Test("Fleiss' kappa on a hand-worked table")
    func fleissSmallTable() throws {
        // Four items, four raters: P̄ = (1 + 1 + 1/2 + 1/2)/4 = 3/4, p = (1/2, 1/2), P̄e = 1/2, κ = 1/2.
        let kappa = try FleissKappa.score(counts: [[4, 0], [0, 4], [3, 1], [1, 3]])
        #expect(abs(kappa - 0.5) < 1e-12)
        #expect(throws: MetricsError.unequalRaterCounts) { try FleissKappa.score(counts: [[4, 0], [2, 1]]) }
    }

    @Test("Fleiss' kappa and Krippendorff's alpha on RTE match statsmodels and krippendorff",
          .enabled(if: SharedDatasets.available, "\(SharedDatasets.missingMessage)"))
    func rteAgreement() throws {
        let rte = try RTEDataset.load()
        #expect(rte.labels.count == 8000 && rte.itemCount == 800 && rte.annotatorCount == 164)
        #expect(abs(try FleissKappa.score(rte.labels) - 0.241384) < 1e-6)
        #expect(abs(try KrippendorffAlpha.alpha(rte.labels, level: .nominal) - 0.241479) < 1e-6)
    }
}
