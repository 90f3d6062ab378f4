import Foundation
import Testing
@testable import AnnottyCore
import AnnottyTestSupport

/// Span files into a real project and out again: answers as `imported` decisions, refusals before
/// anything is stored, the final-label rule on span sets.
@Suite struct SpanProjectImportTests {
    static let types = ["PER", "ORG", "LOC", "MISC"]

    /// IOB1 tags (an entity starts with I-), CRLF line ends and -DOCSTART- lines, as the original files.
    static let conll = [
        "-DOCSTART- -X- O O", "",
        "U.N. NNP I-NP I-ORG", "official NN I-NP O", "Ekeus NNP I-NP I-PER", "heads VBZ I-VP O",
        "for IN I-PP O", "Baghdad NNP I-NP I-LOC", ". . O O", "",
        "-DOCSTART- -X- O O", "",
        "Nothing NN I-NP O", "here RB I-ADVP O", ". . O O", "",
    ].joined(separator: "\r\n") + "\r\n"

    func project(_ directory: TemporaryDirectory) throws -> SQLiteStore {
        try SQLiteStore(path: directory.path("annotty.sqlite"))
    }

    func export(_ store: SQLiteStore, _ format: SpanFileFormat, _ path: String, rule: FinalLabelRule = .auto) throws -> SpanExporter.Summary {
        let output = try BufferedOutput(path: path)
        let (summary, _) = try SpanExporter(store: store, labels: LabelSet(names: Self.types), labelRule: rule).export(format: format, to: output)
        try output.close()
        return summary
    }

    @Test func conllSentencesBecomeItemsWithImportedSpanSetsAndExportAsIOB2() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("news.conll", Self.conll)
        let store = try project(directory)
        let report = try SpanProjectImporter(store: store, types: Self.types).importFile(at: file, format: .conll, annotator: "gold")
        #expect(report.counts.inserted == 2)
        #expect(report.counts.decisionsRecorded == 2)
        let annotations = try store.effectiveSpanAnnotations()
        #expect(annotations.map(\.kind) == [.imported, .imported])
        #expect(annotations.map(\.annotator) == ["gold", "gold"])
        #expect(annotations[0].spans.map(\.key.text) == ["0-4:ORG", "14-19:PER", "30-37:LOC"])
        #expect(annotations[1].spans.isEmpty)
        #expect(try store.item(id: 1)?.externalId == "news.conll:3")

        let out = directory.path("out.conll")
        #expect(try export(store, .conll, out).written == 2)
        let written = try String(contentsOfFile: out, encoding: .utf8)
        #expect(written == """
            -DOCSTART- -X- -X- O

            U.N. B-ORG
            official O
            Ekeus B-PER
            heads O
            for O
            Baghdad B-LOC
            . O

            -DOCSTART- -X- -X- O

            Nothing O
            here O
            . O


            """)
    }

    @Test func aTypeOutsideTheLabelsStopsTheImportWithFileAndLineAndStoresNothing() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("bad.conll", "Ada B-PER\n\nParis B-LOC\nis O\nnice B-ADJ\n")
        let store = try project(directory)
        let before = try store.snapshot()
        do {
            _ = try SpanProjectImporter(store: store, types: Self.types).importFile(at: file, format: .conll, annotator: "gold")
            Issue.record("the import should have stopped")
        } catch let error as InputError {
            #expect(error.file == file)
            #expect(error.line == 3)
            #expect(error.message.contains("\"ADJ\""))
            #expect(error.message.contains("PER, ORG, LOC, MISC"))
        }
        #expect(try store.snapshot() == before)
    }

    @Test func importingTheSameFileAgainRecordsNothingNew() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("news.conll", Self.conll)
        let store = try project(directory)
        let importer = SpanProjectImporter(store: store, types: Self.types)
        _ = try importer.importFile(at: file, format: .conll, annotator: "gold")
        let again = try importer.importFile(at: file, format: .conll, annotator: "gold")
        #expect(again.counts.inserted == 0)
        #expect(again.counts.duplicates == 2)
        #expect(again.counts.decisionsRecorded == 0)
        #expect(again.counts.decisionsAlreadyThere == 2)
        #expect(try store.effectiveSpanAnnotations().count == 2)
    }

    @Test func aLabelStudioTaskWithoutAnAnnotationIsAnItemToAnnotateNotAnEmptyAnswer() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("tasks.json", """
            [{"data": {"id": "a", "text": "Ada met Bob"}, "annotations": [{"result": [
               {"type": "labels", "value": {"start": 0, "end": 3, "text": "Ada", "labels": ["PER"]}}]}]},
             {"data": {"id": "b", "text": "No one here"}, "annotations": [{"result": []}]},
             {"data": {"id": "c", "text": "To do later"}}]
            """)
        let store = try project(directory)
        let report = try SpanProjectImporter(store: store, types: Self.types).importFile(at: file, format: .labelStudio, annotator: "ls")
        #expect(report.counts.inserted == 3)
        #expect(report.counts.decisionsRecorded == 2)
        #expect(report.unanswered == 1)
        let out = directory.path("out.jsonl")
        let summary = try export(store, .spacy, out)
        #expect(summary.written == 2)
        #expect(summary.leftOutUnanswered == 1)
        let back = try SpacySpanReader().read(path: out)
        #expect(back.map(\.id) == ["a", "b"])
        #expect(back.map(\.spanKeys) == [[SpanKey(start: 0, end: 3, type: "PER")], []])
    }

    @Test func theExportTakesThePluralityOfPeoplesSetsAndAnAdjudicationOverIt() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("s.jsonl", "{\"id\": \"s1\", \"text\": \"Ada Lovelace met Babbage\"}\n")
        let store = try project(directory)
        _ = try SpanProjectImporter(store: store, types: Self.types).importFile(at: file, format: .spacy, annotator: "x")
        let ada = EntitySpan(start: 0, end: 12, type: "PER", text: "Ada Lovelace")
        let adaShort = EntitySpan(start: 0, end: 3, type: "PER", text: "Ada")
        let babbage = EntitySpan(start: 17, end: 24, type: "PER", text: "Babbage")
        try store.recordSpanDecision(Decision(itemId: 1, annotator: "ann", kind: .correct), spans: [ada, babbage])
        try store.recordSpanDecision(Decision(itemId: 1, annotator: "bob", kind: .correct), spans: [adaShort])
        try store.recordSpanDecision(Decision(itemId: 1, annotator: "cy", kind: .correct), spans: [babbage, ada])
        let out = directory.path("out.jsonl")
        var summary = try export(store, .spacy, out)
        #expect(summary.labelFrom == ["plurality": 1])
        #expect(try SpacySpanReader().read(path: out).map(\.spanKeys) == [[ada.key, babbage.key]])
        // Its tokens are cut at the spans' edges (WordTokenizer: no tokens were stored for this line).
        #expect(try SpacySpanReader().read(path: out)[0].tokens.map(\.text) == ["Ada", "Lovelace", "met", "Babbage"])

        try store.recordSpanDecision(Decision(itemId: 1, annotator: "lead", kind: .adjudicate), spans: [adaShort])
        summary = try export(store, .spacy, out)
        #expect(summary.labelFrom == ["adjudicated": 1])
        #expect(try SpacySpanReader().read(path: out).map(\.spanKeys) == [[adaShort.key]])
    }

    @Test func storedTokensAreCutWhereALaterSpanEndsInsideOne() {
        let item = SpanItemMetadata.spanItem(
            id: "x", text: "U.S.-based firm", metadataJSON: SpanItemMetadata.encode(
                tokens: [TextToken(start: 0, end: 10, text: "U.S.-based"), TextToken(start: 11, end: 15, text: "firm")], document: 2),
            spans: [EntitySpan(start: 0, end: 4, type: "LOC", text: "U.S.")])
        #expect(item.tokens.map(\.text) == ["U.S.", "-based", "firm"])
        #expect(item.document == 2)
        #expect((try? item.bioTags()) == ["B-LOC", "O", "O"])
    }

    @Test func storedTokensThatHoldWhitespaceOrSkipTextAreNotUsedForAnExport() {
        let spans = [EntitySpan(start: 0, end: 8, type: "LOC", text: "New York")]
        let withSpace = SpanItemMetadata.spanItem(
            id: "x", text: "New York is big", metadataJSON: #"{"tokens":[[0,8],[9,11],[12,15]]}"#, spans: spans)
        #expect(withSpace.tokens.map(\.text) == ["New", "York", "is", "big"])
        let skipping = SpanItemMetadata.spanItem(
            id: "y", text: "New York is big", metadataJSON: #"{"tokens":[[0,3],[4,8],[12,15]]}"#, spans: spans)
        #expect(skipping.tokens.map(\.text) == ["New", "York", "is", "big"])
        let unfinished = SpanItemMetadata.spanItem(
            id: "z", text: "New York is big", metadataJSON: #"{"tokens":[[0,3],[4,8]]}"#, spans: spans)
        #expect(unfinished.tokens.map(\.text) == ["New", "York", "is", "big"])
    }

    @Test func overlappingSpansStopATokenExportBeforeAnythingIsWrittenAndSayWhatToDo() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("s.jsonl", #"{"id": "s1", "text": "New York City", "spans": [{"start": 0, "end": 8, "label": "LOC"}, {"start": 4, "end": 13, "label": "LOC"}]}"# + "\n")
        let store = try project(directory)
        _ = try SpanProjectImporter(store: store, types: Self.types).importFile(at: file, format: .spacy, annotator: "x")
        let out = directory.path("out.conll")
        do {
            _ = try export(store, .conll, out)
            Issue.record("overlapping spans cannot be tags")
        } catch let error as SpanExportError {
            #expect(error.message.contains("item s1"))
            #expect(error.message.contains("labelstudio or spacy"))
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try export(store, .spacy, directory.path("out.jsonl")).written == 1)
    }

    @Test func importAnnotationsPutsAnotherPersonsSetsOnTheItemsAndRefusesStrangers() throws {
        let directory = try TemporaryDirectory()
        let store = try project(directory)
        let items = try directory.write("items.jsonl", """
            {"id": "s1", "text": "Ada met Bob"}
            {"id": "s2", "text": "Paris is big"}
            """)
        _ = try SpanProjectImporter(store: store, types: Self.types).importFile(at: items, format: .spacy, annotator: "x")
        #expect(try store.effectiveSpanAnnotations().isEmpty)
        let alice = try directory.write("alice.jsonl", """
            {"id": "s1", "text": "Ada met Bob", "spans": [{"start": 0, "end": 3, "label": "PER"}]}
            {"id": "s2", "text": "Paris is big", "spans": []}
            {"id": "s9", "text": "Who is this", "spans": []}
            {"id": "s2", "text": "Paris is large", "spans": []}
            """)
        let importer = SpanAnnotationsImporter(store: store, types: Self.types)
        let before = try store.snapshot()
        #expect(throws: InputError(file: alice, line: 3, message: "this project has no item s9; import the items first (annotty import)")) {
            try importer.importFile(at: alice, format: .spacy, annotator: "alice")
        }
        #expect(try store.snapshot() == before)

        let result = try importer.importFile(at: alice, format: .spacy, annotator: "alice", skipInvalid: true)
        #expect(result.counts.decisionsRecorded == 2)
        #expect(result.skipped.count == 2)
        #expect(result.skipped[1].contains(":4:") && result.skipped[1].contains("offsets would not fit"))
        let annotations = try store.effectiveSpanAnnotations()
        #expect(annotations.map { "\($0.itemId):\($0.annotator):\($0.kind)" } == ["1:alice:imported", "2:alice:imported"])
        #expect(annotations[0].spans.map(\.text) == ["Ada"])
        let again = try importer.importFile(at: alice, format: .spacy, annotator: "alice", skipInvalid: true)
        #expect(again.counts.decisionsRecorded == 0 && again.counts.decisionsAlreadyThere == 2)
    }

    @Test func eachLabelStudioAnnotationIsItsAnnotatorsSet() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("team.json", """
            [{"data": {"id": "a", "text": "Ada met Bob"}, "annotations": [
               {"completed_by": {"id": 3, "email": "alice@example.org"}, "result": [
                 {"type": "labels", "value": {"start": 0, "end": 3, "text": "Ada", "labels": ["PER"]}}]},
               {"completed_by": 7, "result": [
                 {"type": "labels", "value": {"start": 8, "end": 11, "text": "Bob", "labels": ["PER"]}}]},
               {"was_cancelled": true, "completed_by": 9, "result": []},
               {"result": []}]}]
            """)
        let store = try project(directory)
        let report = try SpanProjectImporter(store: store, types: Self.types).importFile(at: file, format: .labelStudio, annotator: "ls")
        #expect(report.counts.inserted == 1)
        #expect(report.setsByAnnotator == ["alice@example.org": 1, "labelstudio-user-7": 1, "ls": 1])
        let annotations = try store.effectiveSpanAnnotations()
        #expect(annotations.map(\.annotator) == ["alice@example.org", "labelstudio-user-7", "ls"])
        #expect(annotations.map { $0.spans.map(\.text) } == [["Ada"], ["Bob"], []])
        // The plain reader still takes the first annotation, as other tools read these files.
        #expect(try LabelStudioSpanReader().read(path: file).map { $0.spans.map(\.text) } == [["Ada"]])
    }

    @Test func spanSetsImportedAsGoldMakeGoldenQuestionsThatAggregationIsScoredAgainst() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("news.conll", Self.conll)
        let store = try project(directory)
        let report = try SpanProjectImporter(store: store, types: Self.types).importFile(at: file, format: .conll, annotator: "x", asGold: true)
        #expect(report.counts.decisionsRecorded == 0)
        #expect(try store.goldenItemIds() == [1, 2])
        #expect(try store.goldLabels() == [1: "spans:0-4:ORG,14-19:PER,30-37:LOC", 2: "spans:"])
        #expect(try store.effectiveSpanAnnotations().isEmpty)

        // alice gives the same sets; then she drops the ORG span: 2 of 3 gold spans, none wrong.
        let alice = try SpanAnnotationsImporter(store: store, types: Self.types).importFile(at: file, format: .conll, annotator: "alice")
        #expect(alice.counts.decisionsRecorded == 2)
        var outcome = try SpanAggregationRun(store: store).run()
        #expect(outcome.scoredItems == 2 && outcome.againstGold?.f1 == 1)
        let item = try #require(try store.item(id: 1))
        try store.recordSpanDecision(Decision(itemId: 1, annotator: "alice", kind: .correct), spans: [
            EntitySpan(start: 14, end: 19, type: "PER", text: "Ekeus"), EntitySpan(start: 30, end: 37, type: "LOC", text: "Baghdad")])
        #expect(item.isGolden)
        outcome = try SpanAggregationRun(store: store).run()
        #expect(outcome.againstGold == EntityF1(truePositives: 2, predictedCount: 2, goldCount: 3))
        #expect(abs(outcome.againstGold!.f1 - 0.8) < 1e-12)
    }
}
