import AnnottyCore
import AnnottyTestSupport
import Testing

@Suite("Majority vote and Dawid-Skene")
struct AggregationTests {
    static let tiedLabels = [
        CrowdLabel(item: 0, annotator: 0, label: 0), CrowdLabel(item: 0, annotator: 1, label: 2),
        CrowdLabel(item: 1, annotator: 0, label: 1), CrowdLabel(item: 1, annotator: 1, label: 1),
        CrowdLabel(item: 1, annotator: 2, label: 0),
    ]

    @Test("Majority vote tie rules pick lowest, highest or the preferred tied class")
    func tieRules() throws {
        #expect(try MajorityVote(Self.tiedLabels, classCount: 3, tieRule: .lowestClass).labels == [0, 1])
        #expect(try MajorityVote(Self.tiedLabels, classCount: 3, tieRule: .highestClass).labels == [2, 1])
        #expect(try MajorityVote(Self.tiedLabels, classCount: 3, tieRule: .preferredClass(2)).labels == [2, 1])
        #expect(try MajorityVote(Self.tiedLabels, classCount: 3, tieRule: .preferredClass(1)).labels == [0, 1])
        let vote = try MajorityVote(Self.tiedLabels, itemCount: 3, classCount: 3)
        #expect(vote.labels == [0, 1, nil])
        #expect(vote.winners(of: 0) == [0, 2])
        #expect(vote.tiedItemCount == 1)
        #expect(vote.confidences == [0.5, 2.0 / 3.0, nil])
        // Gold 2 for the tie: half credit there, full credit for item 1.
        #expect(try vote.splitCreditAccuracy(against: [2, 1, nil]) == 0.75)
        #expect(try vote.accuracy(against: [2, 1, nil]) == 0.5)
    }

    @Test("Random tie rule is reproducible per seed and only picks tied classes")
    func randomTies() throws {
        let labels = (0..<200).flatMap { item in
            [CrowdLabel(item: item, annotator: 0, label: 0), CrowdLabel(item: item, annotator: 1, label: 1)]
        }
        let one = try MajorityVote(labels, tieRule: .random(seed: 7)).labels
        let again = try MajorityVote(labels, tieRule: .random(seed: 7)).labels
        let other = try MajorityVote(labels, tieRule: .random(seed: 8)).labels
        #expect(one == again)
        #expect(one != other)
        let ones = one.compactMap { $0 }.filter { $0 == 1 }.count
        #expect(ones > 70 && ones < 130)
    }

    @Test("Majority vote on RTE: accuracy under each tie rule and kappa against gold",
          .enabled(if: SharedDatasets.available, "\(SharedDatasets.missingMessage)"))
    func rteMajorityVote() throws {
        let rte = try RTEDataset.load()
        let toZero = try MajorityVote(rte.labels, tieRule: .lowestClass)
        let toOne = try MajorityVote(rte.labels, tieRule: .highestClass)
        #expect(toZero.tiedItemCount == 65)
        #expect(abs(try toZero.accuracy(against: rte.gold) - 0.9188) < 5e-5)
        #expect(abs(try toOne.accuracy(against: rte.gold) - 0.8750) < 5e-5)
        #expect(abs(try toZero.splitCreditAccuracy(against: rte.gold) - 0.8969) < 5e-5)
        #expect(try toOne.splitCreditAccuracy(against: rte.gold) == toZero.splitCreditAccuracy(against: rte.gold))
        let predicted = toOne.labels.compactMap { $0 }
        #expect(abs(try CohenKappa.score(rte.gold, predicted) - 0.750) < 5e-4)
    }

    @Test("Dawid-Skene on RTE matches crowd-kit 1.4.2: accuracy, priors, 9 iterations, kappa",
          .enabled(if: SharedDatasets.available, "\(SharedDatasets.missingMessage)"))
    func rteDawidSkene() throws {
        let rte = try RTEDataset.load()
        let result = try DawidSkene().fit(rte.labels)
        #expect(abs(try result.accuracy(against: rte.gold) - 0.9275) < 5e-5)
        #expect(abs(result.priors[0] - 0.5177) < 5e-5)
        #expect(abs(result.priors[1] - 0.4823) < 5e-5)
        #expect(result.iterations == 9)
        #expect(result.converged)
        #expect(result.confusionMatrices.count == rte.annotatorCount)
        for matrix in result.confusionMatrices {
            for row in matrix { #expect(abs(row.reduce(0, +) - 1) < 1e-9) }
        }
        for posterior in result.posteriors { #expect(abs(posterior.reduce(0, +) - 1) < 1e-9) }
        let predicted = result.labels.compactMap { $0 }
        #expect(abs(try CohenKappa.score(rte.gold, predicted) - 0.855) < 5e-4)
    }

    @Test("One-coin Dawid-Skene on RTE matches crowd-kit's 0.9250",
          .enabled(if: SharedDatasets.available, "\(SharedDatasets.missingMessage)"))
    func rteOneCoin() throws {
        let rte = try RTEDataset.load()
        let result = try DawidSkene(model: .oneCoin).fit(rte.labels)
        #expect(abs(try result.accuracy(against: rte.gold) - 0.9250) < 5e-5)
        #expect(result.annotatorSkills?.count == rte.annotatorCount)
        #expect(result.converged)
    }

    @Test("Dawid-Skene recovers a reliable annotator outvoted by two random ones on synthetic data")
    func dawidSkeneSynthetic() throws {
        var generator = SeededGenerator(seed: 42)
        var labels: [CrowdLabel] = []
        var gold: [Int] = []
        for item in 0..<400 {
            let truth = generator.nextIndex(below: 2)
            gold.append(truth)
            // Annotators 0-2 are 90% accurate; 3 and 4 always answer 1.
            for annotator in 0..<3 {
                let correct = generator.nextUnitDouble() < 0.9
                labels.append(CrowdLabel(item: item, annotator: annotator, label: correct ? truth : 1 - truth))
            }
            labels.append(CrowdLabel(item: item, annotator: 3, label: 1))
            labels.append(CrowdLabel(item: item, annotator: 4, label: 1))
        }
        let result = try DawidSkene().fit(labels)
        let vote = try MajorityVote(labels)
        // Majority vote follows the constant pair whenever one good annotator agrees with them.
        #expect(try vote.accuracy(against: gold) < 0.9)
        #expect(try result.accuracy(against: gold) > vote.accuracy(against: gold) + 0.04)
        // The always-1 annotator says 1 whatever the truth: both rows put ~all mass on label 1.
        #expect(result.confusionMatrices[3][0][1] > 0.99 && result.confusionMatrices[3][1][1] > 0.99)
        #expect(abs(result.confusionMatrices[0][0][0] - 0.9) < 0.05)
        #expect(abs(result.confusionMatrices[0][1][1] - 0.9) < 0.06)
    }
}
