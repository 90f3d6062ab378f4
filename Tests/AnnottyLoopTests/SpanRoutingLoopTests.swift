import AnnottyCore
import AnnottyLoop
import AnnottyTUI
import Foundation
import Testing

/// The learning cycle of an entity-span project on a real SQLite store: the span learner trains
/// on people's span sets and re-ranks the queue, and the routing pass auto-accepts the one open
/// item whose every proposed span is sure, writing its spans as the decision's.
@Suite struct SpanRoutingLoopTests {
    static let types = LabelSet(names: ["PER", "LOC", "ORG", "MISC"])

    static func span(_ text: String, _ mention: String, _ type: String) -> EntitySpan {
        let scalars = Array(text.unicodeScalars)
        let needle = Array(mention.unicodeScalars)
        let start = (0...(scalars.count - needle.count)).first { Array(scalars[$0..<($0 + needle.count)]) == needle }!
        return EntitySpan(start: start, end: start + needle.count, type: type, text: mention)
    }

    @Test func aCycleTrainsOnSpanSetsAndAutoAcceptsOnlyASureSetWithItsSpans() throws {
        let decided: [(String, [(String, String)])] = [
            ("John Smith lives in London .", [("John Smith", "PER"), ("London", "LOC")]),
            ("Mary Jones works for Reuters in Paris .", [("Mary Jones", "PER"), ("Reuters", "ORG"), ("Paris", "LOC")]),
            ("Peter Brown met Anna White .", [("Peter Brown", "PER"), ("Anna White", "PER")]),
        ]
        let sure = "Kofi Annan flew to Berlin ."
        let unsure = "Germany beat Brazil in Rome ."
        let unpredicted = "Shares rose sharply on Monday ."
        let project = try LoopProject(items: decided.map(\.0) + [sure, unsure, unpredicted]) { config in
            config.task = .spans
            config.labels = Self.types
            config.routing.minVerifiedOutcomes = 3
            config.routing.accuracyFloor = 0.5
            config.routing.autoAccept = 0.8
            config.routing.review = 0.7
        }
        let store = project.store
        let ids = Dictionary(uniqueKeysWithValues: try store.items(ids: Array(1...6)).map { ($0.text, $0.id) })
        func predict(_ text: String, _ spans: [(EntitySpan, Double)]) throws -> Prediction {
            try store.savePrediction(Prediction(
                itemId: ids[text]!, model: "scripted-model", label: SpanAnnotation.label(for: spans.map(\.0)),
                probabilities: Dictionary(uniqueKeysWithValues: spans.map { ($0.0.key.text, $0.1) })))
        }
        for (text, mentions) in decided {
            let spans = mentions.map { Self.span(text, $0.0, $0.1) }
            let prediction = try predict(text, spans.map { ($0, 1.0) })
            try store.recordSpanDecision(Decision(itemId: prediction.itemId, annotator: "alice", kind: .accept,
                                                  shownLabel: prediction.label, shownConfidence: prediction.confidence,
                                                  predictionId: prediction.id), spans: spans)
        }
        let sureSpans = [Self.span(sure, "Kofi Annan", "PER"), Self.span(sure, "Berlin", "LOC")]
        _ = try predict(sure, [(sureSpans[0], 1.0), (sureSpans[1], 0.8)])
        _ = try predict(unsure, [(Self.span(unsure, "Germany", "LOC"), 0.6), (Self.span(unsure, "Rome", "LOC"), 1.0)])

        let cycle = LearningCycle(config: project.project.config, store: store, inbox: Inbox())
        let report = try #require(cycle.runCycle())
        #expect(report.ranking.trainedOn == 3)
        #expect(report.ranking.order.map(Set.init) == Set([sure, unsure, unpredicted].map { ids[$0]! }))
        let routing = try #require(report.routing)
        #expect(routing.hold == nil)
        #expect(routing.autoAccepted == 1)

        // The auto decision, row by row: the proposed set, its least sure span's share, its spans.
        let autos = try store.allDecisions().filter { $0.kind == .auto }
        #expect(autos.count == 1)
        let auto = try #require(autos.first)
        #expect(auto.itemId == ids[sure])
        #expect(auto.label == SpanAnnotation.label(for: sureSpans))
        #expect(auto.shownConfidence == 0.8)
        #expect(try store.effectiveSpanAnnotations(itemId: ids[sure]!).map(\.spans) == [sureSpans])
        // The unsure set goes to people first, then the unpredicted.
        #expect(try store.openItemIds(limit: 10) == [ids[unsure]!, ids[unpredicted]!])
    }
}
