import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

@Suite struct SpanStoreTests {
    static let text = "Ada Lovelace met Babbage in London ."
    static let ada = EntitySpan(start: 0, end: 12, type: "PER", text: "Ada Lovelace")
    static let babbage = EntitySpan(start: 17, end: 24, type: "PER", text: "Babbage")
    static let london = EntitySpan(start: 28, end: 34, type: "LOC", text: "London")

    func makeStore(_ dir: TemporaryDirectory) throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        _ = try store.importItems { sink in
            try sink.add(ImportRecord(text: Self.text))
            try sink.add(ImportRecord(text: "Nothing here ."))
        }
        return store
    }

    @Test func spansAreSavedWithTheirDecisionAndReadBackPerAnnotator() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        let saved = try store.recordSpanDecision(Decision(itemId: 1, annotator: "ann", kind: .correct),
                                                 spans: [Self.london, Self.ada, Self.babbage])
        #expect(saved.label == "spans:0-12:PER,17-24:PER,28-34:LOC")
        try store.recordSpanDecision(Decision(itemId: 1, annotator: "bob", kind: .accept), spans: [Self.ada])
        try store.recordSpanDecision(Decision(itemId: 2, annotator: "ann", kind: .correct), spans: [])
        try store.recordDecision(Decision(itemId: 2, annotator: "bob", kind: .skip))

        let reopened = try SQLiteStore(path: dir.path("annotty.sqlite"))
        let annotations = try reopened.effectiveSpanAnnotations()
        #expect(annotations.map { "\($0.itemId):\($0.annotator):\($0.kind)" } == ["1:ann:correct", "1:bob:accept", "2:ann:correct"])
        #expect(annotations[0].spans == [Self.ada, Self.babbage, Self.london])
        #expect(annotations[2].spans == [])
        #expect(try reopened.effectiveSpanAnnotations(itemId: 1).map(\.annotator) == ["ann", "bob"])
    }

    @Test func anUndoneDecisionTakesItsSpansWithIt() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        try store.recordSpanDecision(Decision(itemId: 1, annotator: "ann", kind: .correct), spans: [Self.ada])
        _ = try store.undoLastDecision(annotator: "ann")
        try store.recordSpanDecision(Decision(itemId: 1, annotator: "ann", kind: .correct), spans: [Self.london])
        let annotations = try store.effectiveSpanAnnotations(itemId: 1)
        #expect(annotations.map(\.spans) == [[Self.london]])
        #expect(try store.decisions(itemId: 1).count == 3, "the undone decision and the undo stay in the log")
    }

    @Test func aSpanThatIsNotTheItemsTextIsRefusedAndNothingIsWritten() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        let shifted = EntitySpan(start: 1, end: 13, type: "PER", text: "Ada Lovelace")
        #expect(throws: SpanError.offText(item: "1", span: shifted)) {
            try store.recordSpanDecision(Decision(itemId: 1, annotator: "ann", kind: .correct), spans: [Self.ada, shifted])
        }
        #expect(try store.decisions(itemId: 1).isEmpty)
    }
}
