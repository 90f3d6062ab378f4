import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// The GoEmotions Ekman fixture (Tests/AnnottyCoreTests/Fixtures/goemotions-ekman, see its README).
@Suite("GoEmotions multi-label data")
struct GoEmotionsTests {
    static let folder = SharedDatasets.repositoryRoot.appendingPathComponent("Tests/AnnottyCoreTests/Fixtures/goemotions-ekman")

    @Test("The Ekman fixture loads with its seven labels and its multi-label rows")
    func loads() throws {
        let dev = try MultiLabelDataset.loadGoEmotionsFolder(Self.folder, split: "dev")
        #expect(dev.count == 5426)
        #expect(dev.labelNames == ["anger", "disgust", "fear", "joy", "neutral", "sadness", "surprise"])
        #expect(dev.labelSets.filter { $0.count > 1 }.count == 480)
        // Line 2: "You know the answer man, ...\t3,4\tee84bjg" → joy and neutral.
        #expect(dev.labelSets[1] == [3, 4])
    }

    @Test("A bad label index is reported with its file and line")
    func badLine() {
        #expect(throws: LabelledDataset.LoadError.unknownLabel(file: "x.tsv", line: 2, label: "9")) {
            try MultiLabelDataset.parseTSV("fine\t1\ta\nbad\t1,9\tb\n", fileName: "x.tsv", labelNames: ["a", "b", "c"])
        }
        #expect(throws: LabelledDataset.LoadError.self) {
            try MultiLabelDataset.parseTSV("no labels here\n", fileName: "x.tsv", labelNames: ["a"])
        }
    }

    @Test("A short simulation on GoEmotions: more labels give better micro F1, uncertainty runs to completion")
    func shortSimulation() throws {
        let dev = try MultiLabelDataset.loadGoEmotionsFolder(Self.folder, split: "dev")
        let simulator = MultiLabelSimulator(train: dev.subset(Array(0..<1500)), test: dev.subset(Array(4000..<5000)),
                                            configuration: .init(seedSize: 20, rounds: 2, batchSize: 100))
        let random = simulator.run(selector: .random, seed: 1)
        #expect(random.map(\.labelCount) == [20, 120, 220])
        #expect(random[2].scores.microF1 > random[0].scores.microF1)
        let uncertain = simulator.run(selector: .default, seed: 1)
        #expect(uncertain.map(\.labelCount) == [20, 120, 220])
        #expect(uncertain[0] == random[0])
    }
}
