import Foundation
import Testing
@testable import AnnottyCore
import AnnottyTestSupport

/// Import CoNLL-2003 eng.testb, write it out in each span format, read it back and score
/// exact-match entity F1 against the original: anything below 1.000 is a lost or moved span.
@Suite(.enabled(if: SharedDatasets.available, Comment(rawValue: SharedDatasets.missingMessage)))
struct CoNLLRoundTripTests {
    static let testb = SharedDatasets.url("conll2003/eng.testb").path

    static func entityF1(_ original: [SpanItem], _ returned: [SpanItem]) throws -> Double {
        try EntityF1.score(gold: original.map(\.spanKeys), predicted: returned.map(\.spanKeys)).f1
    }

    @Test func readsTheStandardCounts() throws {
        let items = try CoNLLReader().read(path: Self.testb)
        #expect(items.count == 3453)
        #expect(items.reduce(0) { $0 + $1.tokens.count } == 46435)
        let spans = items.flatMap(\.spans)
        #expect(spans.count == 5648)
        #expect(Dictionary(grouping: spans, by: \.type).mapValues(\.count)
                == ["LOC": 1668, "PER": 1617, "ORG": 1661, "MISC": 702])
    }

    @Test func conllRoundTripInBothSchemesIsExact() throws {
        let original = try CoNLLReader().read(path: Self.testb)
        for scheme in BIOScheme.allCases {
            let text = try CoNLLWriter(scheme: scheme).text(of: original)
            let returned = try CoNLLReader().read(text: text, file: "out.conll")
            #expect(returned.map(\.text) == original.map(\.text))
            #expect(try Self.entityF1(original, returned) == 1.0, "\(scheme)")
        }
    }

    @Test func labelStudioRoundTripIsExactAndWritesTheSameCoNLL() throws {
        let original = try CoNLLReader().read(path: Self.testb)
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("testb.json").path
        try LabelStudioSpanWriter().write(original, to: path)
        let returned = try LabelStudioSpanReader().read(path: path)
        #expect(returned.map(\.text) == original.map(\.text))
        #expect(try Self.entityF1(original, returned) == 1.0)
        // Back to CoNLL through the tokenizer (which may cut a token further at its edge
        // punctuation): the same entities, type by type and word by word.
        let reread = try CoNLLReader().read(text: try CoNLLWriter().text(of: returned), file: "ls.conll")
        func entities(_ items: [SpanItem]) -> [[String]] {
            items.map { $0.spans.map { $0.type + ":" + $0.text.filter { !$0.isWhitespace } } }
        }
        #expect(entities(reread) == entities(original))
    }

    @Test func spacyRoundTripIsExactAndKeepsTokens() throws {
        let original = try CoNLLReader().read(path: Self.testb)
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("testb.jsonl").path
        try SpacySpanWriter().write(original, to: path)
        let returned = try SpacySpanReader().read(path: path)
        #expect(returned.map(\.tokens) == original.map(\.tokens))
        #expect(try Self.entityF1(original, returned) == 1.0)
        let reread = try CoNLLReader().read(text: try CoNLLWriter().text(of: returned), file: "spacy.conll")
        #expect(try Self.entityF1(original, reread) == 1.0)
    }
}
