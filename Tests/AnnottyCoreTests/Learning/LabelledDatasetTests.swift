import AnnottyTestSupport
import Foundation
import Testing
@testable import AnnottyCore

@Suite struct LabelledDatasetTests {
    @Test func parsesTRECLines() throws {
        let dataset = try LabelledDataset.parseTREC("0 How did serfdom develop ?\n5 How many miles ?\n\n")
        #expect(dataset.texts == ["How did serfdom develop ?", "How many miles ?"])
        #expect(dataset.labels == [0, 5])
        #expect(dataset.labelNames == ["DESC", "ENTY", "ABBR", "HUM", "LOC", "NUM"])
    }

    @Test func reportsTheLineOfAMalformedTRECEntry() {
        #expect(throws: LabelledDataset.LoadError.malformedLine(file: "t", line: 2, reason: "expected \"<label 0-5> <question>\"")) {
            try LabelledDataset.parseTREC("1 ok ?\n9 bad label\n", fileName: "t")
        }
    }

    /// `simulate --train` on binary "<label> <text>" data names the two labels it found, not TREC's six.
    @Test func labelledLinesTakeTheirLabelsFromTheFile() throws {
        let binary = try LabelledDataset.parseLabelledLines("1 a fine film\n0 dull\n1 lovely\n", fileName: "sst2.txt")
        #expect(binary.labelNames == ["0", "1"])
        #expect(binary.labels == [1, 0, 1])
        #expect(binary.namingTREC(fileName: "sst2.txt").labelNames == ["0", "1"])
        let words = try LabelledDataset.parseLabelledLines("pos great\nneg awful\n")
        #expect(words.labelNames == ["neg", "pos"] && words.labels == [1, 0])
        // A test file read against the training labels names the line of a label it lacks.
        #expect(throws: LabelledDataset.LoadError.unknownLabel(file: "test.txt", line: 2, label: "2")) {
            try LabelledDataset.parseLabelledLines("0 x\n2 y\n", fileName: "test.txt", labelNames: ["0", "1"])
        }
        let trec = try LabelledDataset.parseLabelledLines("0 How ?\n5 How many ?\n", fileName: "TREC.train.all")
        #expect(trec.namingTREC(fileName: "TREC.train.all").labelNames == ["DESC", "NUM"])
    }

    @Test func latin1LinesAreReadButNamedInAWarning() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("latin1.txt")
        var bytes = Array("1 caf".utf8) + [0xE9] + Array(" ok\n0 plain\n1 na".utf8) + [0xEF] + Array("ve\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let dataset = try LabelledDataset.loadLabelledLines(from: URL(fileURLWithPath: path))
        #expect(dataset.texts == ["café ok", "plain", "naïve"])
        #expect(dataset.warnings.count == 1)
        #expect(dataset.warnings[0].hasPrefix("latin1.txt:1, latin1.txt:3: not valid UTF-8"))
        bytes = Array("1 café\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try LabelledDataset.loadLabelledLines(from: URL(fileURLWithPath: path)).warnings.isEmpty)
    }

    @Test func jsonLinesWithStringLabelsSortNames() throws {
        let text = """
        {"text": "great film", "label": "pos"}
        {"text": "dull", "label": "neg"}
        """
        let dataset = try LabelledDataset.parseJSONL(text)
        #expect(dataset.labelNames == ["neg", "pos"])
        #expect(dataset.labels == [1, 0])
    }

    @Test func jsonLinesWithIntegerLabelsKeepNumericOrder() throws {
        let dataset = try LabelledDataset.parseJSONL("{\"text\": \"a\", \"label\": 10}\n{\"text\": \"b\", \"label\": 2}")
        #expect(dataset.labelNames == ["2", "10"])
        #expect(dataset.labels == [1, 0])
    }

    @Test func jsonLinesRejectUnknownLabelsAndMissingFields() {
        #expect(throws: LabelledDataset.LoadError.unknownLabel(file: "test", line: 1, label: "maybe")) {
            try LabelledDataset.parseJSONL("{\"text\": \"a\", \"label\": \"maybe\"}", fileName: "test", labelNames: ["no", "yes"])
        }
        #expect(throws: LabelledDataset.LoadError.malformedLine(file: "x", line: 1, reason: "missing string field \"text\"")) {
            try LabelledDataset.parseJSONL("{\"label\": 1}", fileName: "x")
        }
    }

    @Test func splitIsSeededAndDisjoint() {
        let dataset = LabelledDataset(texts: (0..<10).map(String.init), labels: Array(repeating: 0, count: 10), labelNames: ["x"])
        let (train, test) = dataset.split(testFraction: 0.3, seed: 1)
        #expect(train.count == 7 && test.count == 3)
        #expect(Set(train.texts + test.texts) == Set(dataset.texts))
        #expect(dataset.split(testFraction: 0.3, seed: 1).test == test)
    }
}
