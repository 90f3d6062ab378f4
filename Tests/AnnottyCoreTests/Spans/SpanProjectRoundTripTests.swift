import Foundation
import Testing
@testable import AnnottyCore
import AnnottyTestSupport

/// CoNLL-2003 eng.testb through a real project: import, export in each span format, read the export
/// back and score exact-match entity F1 against the original file. Anything below 1.000 is a span
/// lost or moved on the way through the store.
@Suite(.enabled(if: SharedDatasets.available, Comment(rawValue: SharedDatasets.missingMessage)))
struct SpanProjectRoundTripTests {
    static let testb = SharedDatasets.url("conll2003/eng.testb").path
    static let types = ["PER", "ORG", "LOC", "MISC"]

    static func entityF1(_ original: [SpanItem], _ returned: [SpanItem]) throws -> EntityF1 {
        try EntityF1.score(gold: original.map(\.spanKeys), predicted: returned.map(\.spanKeys))
    }

    static func export(_ store: SQLiteStore, _ format: SpanFileFormat, to path: String,
                       scheme: BIOScheme = .iob2) throws -> SpanExporter.Summary {
        var exporter = SpanExporter(store: store, labels: LabelSet(names: types))
        exporter.scheme = scheme
        let output = try BufferedOutput(path: path)
        let (summary, _) = try exporter.export(format: format, to: output)
        try output.close()
        return summary
    }

    @Test func testbImportedAndExportedAsCoNLLScoresOneInBothSchemes() throws {
        let directory = try TemporaryDirectory()
        let original = try CoNLLReader().read(path: Self.testb)
        let store = try SQLiteStore(path: directory.path("annotty.sqlite"))
        let started = Date()
        let report = try SpanProjectImporter(store: store, types: Self.types)
            .importFile(at: Self.testb, format: .conll, annotator: "conll2003")
        // Every sentence is an item, repeated sentences included, and each has its span set.
        #expect(report.counts.inserted == 3453)
        #expect(report.counts.decisionsRecorded == 3453)
        #expect(report.spans == 5648)
        #expect(try store.effectiveSpanAnnotations().flatMap(\.spans).count == 5648)

        for scheme in BIOScheme.allCases {
            let path = directory.path("out-\(scheme).conll")
            let summary = try Self.export(store, .conll, to: path, scheme: scheme)
            #expect(summary.written == 3453)
            #expect(summary.leftOutUnanswered == 0)
            let returned = try CoNLLReader().read(path: path)
            #expect(returned.map(\.text) == original.map(\.text))
            #expect(returned.map(\.document) == original.map(\.document))
            let score = try Self.entityF1(original, returned)
            #expect(score.f1 == 1.0, "\(scheme)")
            #expect(score.goldCount == 5648)
        }
        // Loose: the whole file in and out twice, in a debug build on a shared machine.
        #expect(Date().timeIntervalSince(started) < 120)
    }

    @Test func testbThroughLabelStudioScoresOneAndImportsBackToTheSameSpans() throws {
        let directory = try TemporaryDirectory()
        let original = try CoNLLReader().read(path: Self.testb)
        let store = try SQLiteStore(path: directory.path("annotty.sqlite"))
        _ = try SpanProjectImporter(store: store, types: Self.types).importFile(at: Self.testb, format: .conll, annotator: "conll2003")
        let path = directory.path("testb.json")
        #expect(try Self.export(store, .labelStudio, to: path).written == 3453)
        let returned = try LabelStudioSpanReader().read(path: path)
        #expect(returned.map(\.text) == original.map(\.text))
        #expect(returned.map(\.id) == original.map(\.id))
        #expect(try Self.entityF1(original, returned).f1 == 1.0)

        // Into a second project and out again.
        let second = try SQLiteStore(path: directory.path("second.sqlite"))
        let report = try SpanProjectImporter(store: second, types: Self.types).importFile(at: path, format: .labelStudio, annotator: "ls")
        #expect(report.counts.decisionsRecorded == 3453)
        let again = directory.path("again.json")
        _ = try Self.export(second, .labelStudio, to: again)
        #expect(try Self.entityF1(original, try LabelStudioSpanReader().read(path: again)).f1 == 1.0)
    }

    @Test func testbThroughSpacyKeepsTheTokensSoASecondProjectWritesTheSameCoNLL() throws {
        let directory = try TemporaryDirectory()
        let original = try CoNLLReader().read(path: Self.testb)
        let store = try SQLiteStore(path: directory.path("annotty.sqlite"))
        _ = try SpanProjectImporter(store: store, types: Self.types).importFile(at: Self.testb, format: .conll, annotator: "conll2003")
        let path = directory.path("testb.jsonl")
        #expect(try Self.export(store, .spacy, to: path).written == 3453)
        let returned = try SpacySpanReader().read(path: path)
        #expect(returned.map(\.tokens) == original.map(\.tokens))
        #expect(try Self.entityF1(original, returned).f1 == 1.0)

        let second = try SQLiteStore(path: directory.path("second.sqlite"))
        _ = try SpanProjectImporter(store: second, types: Self.types).importFile(at: path, format: .spacy, annotator: "spacy")
        let conll = directory.path("from-spacy.conll")
        _ = try Self.export(second, .conll, to: conll)
        let reread = try CoNLLReader().read(path: conll)
        #expect(reread.map(\.text) == original.map(\.text))
        #expect(try Self.entityF1(original, reread).f1 == 1.0)
    }
}
