import Foundation
import Testing
@testable import AnnottyCore
import AnnottyTestSupport

@Suite struct SpanFormatTests {
    /// IOB1 as in the CoNLL-2003 files: `I-` opens, `B-` separates two adjacent entities of one type.
    static let iob1Sample = "-DOCSTART- -X- -X- O\r\n\r\nEU NNP I-NP I-ORG\r\nrejects VBZ I-VP O\r\n"
        + "German JJ I-NP I-MISC\r\ncall NN I-NP O\r\n\r\nPeter NNP I-NP I-PER\r\nBlackburn NNP I-NP I-PER\r\n"
        + "\r\n-DOCSTART- -X- -X- O\r\n\r\nin IN O O\r\nBelgium NNP I-NP I-LOC\r\nFrance NNP I-NP B-LOC\r\n"

    @Test func readsIOB1WithCRLFDocumentsAndAdjacentEntities() throws {
        let items = try CoNLLReader().read(text: Self.iob1Sample, file: "sample.conll")
        #expect(items.map(\.text) == ["EU rejects German call", "Peter Blackburn", "in Belgium France"])
        #expect(items.map(\.id) == ["sample.conll:3", "sample.conll:8", "sample.conll:13"])
        #expect(items.map(\.document) == [0, 0, 1])
        #expect(items[0].spans == [EntitySpan(start: 0, end: 2, type: "ORG", text: "EU"),
                                   EntitySpan(start: 11, end: 17, type: "MISC", text: "German")])
        #expect(items[1].spans.map(\.text) == ["Peter Blackburn"])
        #expect(items[2].spans.map(\.text) == ["Belgium", "France"], "B-LOC after I-LOC opens a second entity")
    }

    @Test func writesIOB2AndIOB1() throws {
        let items = try CoNLLReader().read(text: Self.iob1Sample, file: "sample.conll")
        let iob2 = try CoNLLWriter(scheme: .iob2).text(of: items)
        #expect(iob2.contains("Peter B-PER\nBlackburn I-PER\n"))
        #expect(iob2.contains("Belgium B-LOC\nFrance B-LOC\n"))
        #expect(iob2.hasPrefix("-DOCSTART- -X- -X- O\n\nEU B-ORG\n"))
        let iob1 = try CoNLLWriter(scheme: .iob1).text(of: items)
        #expect(iob1.contains("Peter I-PER\nBlackburn I-PER\n"))
        #expect(iob1.contains("Belgium I-LOC\nFrance B-LOC\n"))
        #expect(try CoNLLReader().read(text: iob1, file: "x").map(\.spanKeys) == items.map(\.spanKeys))
    }

    @Test func aBadTagOrLineNamesTheFileAndLine() {
        #expect(throws: InputError(file: "bad.conll", line: 3, message: "tag \"X-PER\" is not O, B-TYPE or I-TYPE")) {
            try CoNLLReader().read(text: "A B-PER\nB I-PER\nC X-PER\n", file: "bad.conll")
        }
        #expect(throws: InputError(file: "bad.conll", line: 2,
                                   message: "expected a token and a tag separated by a space or tab, found \"lonely\"")) {
            try CoNLLReader().read(text: "A O\nlonely\n", file: "bad.conll")
        }
    }

    @Test func labelStudioOffsetsAreUTF16AndTextIsChecked() throws {
        let item = SpanItem(id: "7", text: "😀 met José", spans: [EntitySpan(start: 6, end: 10, type: "PER", text: "José")])
        let json = LabelStudioSpanWriter().text(of: [item])
        #expect(json.contains("\"start\":7,\"end\":11"))
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("ls.json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try LabelStudioSpanReader().read(path: path) == [item])
        try Data(json.replacingOccurrences(of: "\"text\":\"José\"", with: "\"text\":\"Jose\"").utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect(throws: InputError(file: path, line: 2, message: "span 7..<11 says \"Jose\" but the text there is \"José\"")) {
            try LabelStudioSpanReader().read(path: path)
        }
    }

    @Test func spacyReaderSkipsRejectedAnswersAndTokenizesWithoutTokens() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("spans.jsonl").path
        let lines = """
        {"text":"Ada Lovelace wrote.","spans":[{"start":0,"end":12,"label":"PER"}],"answer":"accept"}
        {"text":"nothing","spans":[],"answer":"reject"}
        {"text":"Bad","spans":[{"start":0,"end":9,"label":"PER"}]}
        """
        try Data(lines.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: InputError(file: path, line: 3, message: "span 0..<9 is not a range of the text (3 characters)")) {
            try SpacySpanReader().read(path: path)
        }
        try Data(lines.split(separator: "\n").prefix(2).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        let items = try SpacySpanReader().read(path: path)
        #expect(items.count == 1)
        #expect(items[0].tokens.map(\.text) == ["Ada", "Lovelace", "wrote", "."])
        #expect(try items[0].bioTags() == ["B-PER", "I-PER", "O", "O"])
    }

    @Test func hfWriterNumbersTagsInTheFeaturesOrder() throws {
        let items = try CoNLLReader().read(text: Self.iob1Sample, file: "sample.conll")
        let (rows, features) = try HFTokenClassificationWriter().texts(of: items)
        // O, B-LOC, I-LOC, B-MISC, I-MISC, B-ORG, I-ORG, B-PER, I-PER
        #expect(rows.hasPrefix("{\"id\":\"sample.conll:3\",\"tokens\":[\"EU\",\"rejects\",\"German\",\"call\"],\"ner_tags\":[5,0,3,0]}\n"))
        #expect(rows.contains("\"ner_tags\":[7,8]"))
        #expect(features.contains("\"names\":[\"O\",\"B-LOC\",\"I-LOC\",\"B-MISC\",\"I-MISC\",\"B-ORG\",\"I-ORG\",\"B-PER\",\"I-PER\"]"))
    }

    @Test func aSpanOffTokenEdgesCannotBeWrittenAsTags() {
        let item = SpanItem(id: "a", text: "New York", tokens: WordTokenizer.tokenize("New York"),
                            spans: [EntitySpan(start: 0, end: 6, type: "LOC", text: "New Yo")])
        #expect(throws: SpanError.misaligned(item: "a", span: item.spans[0])) { try CoNLLWriter().text(of: [item]) }
    }
}
