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
