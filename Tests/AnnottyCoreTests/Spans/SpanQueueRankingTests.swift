import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// The learning cycle's re-rank on a span project: the span learner trained on people's span
/// sets orders the open items by its margin, least sure first.
@Suite struct SpanQueueRankingTests {
    static let types = LabelSet(names: ["PER", "LOC", "ORG", "MISC"])
    static let decided: [(String, [EntitySpan])] = [
        ("John Smith lives in London .", [EntitySpan(start: 0, end: 10, type: "PER", text: "John Smith"),
                                          EntitySpan(start: 20, end: 26, type: "LOC", text: "London")]),
        ("Mary Jones works in Paris .", [EntitySpan(start: 0, end: 10, type: "PER", text: "Mary Jones"),
                                         EntitySpan(start: 20, end: 25, type: "LOC", text: "Paris")]),
        ("The weather was fine .", []),
    ]
    static let open = ["John Smith lives in London today .", "Xqzt Vbnm qwerty Asdf zxcv Plok .", "The weather was fine today .",
                       "Kofi Annan visited Berlin and Tokyo with Reuters ."]

    func config() -> ProjectConfig {
        var config = ProjectConfig(name: "t", labels: Self.types)
        config.task = .spans
        return config
    }

    func store(in dir: TemporaryDirectory, decide: Bool = true) throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        _ = try store.importItems { sink in
            for text in Self.decided.map(\.0) + Self.open { try sink.add(ImportRecord(text: text)) }
        }
        if decide {
            for (index, (_, spans)) in Self.decided.enumerated() {
                try store.recordSpanDecision(Decision(itemId: Int64(index + 1), annotator: "ann", kind: .correct), spans: spans)
            }
        }
        return store
    }

    @Test func openItemsAreOrderedByTheLearnersMarginSmallestFirst() throws {
        let dir = try TemporaryDirectory()
        let store = try store(in: dir)
        let ranking = try QueueReranker(config: config()).rank(store: store, seed: 7)
        let order = try #require(ranking.order)
        #expect(ranking.trainedOn == 3)
        #expect(Set(order) == [4, 5, 6, 7])
        // The learner, trained as the ranking trains it, judges each open item; the order follows its margins upward.
        let training = Self.decided.enumerated().map { SpanItem(id: String($0.offset + 1), text: $0.element.0, spans: $0.element.1) }
        var options = SpanQueueRanking(config: config(), poolLimit: 10).options
        options.seed = 7
        let learner = SpanLearner.train(on: training, types: Self.types.names, options: options)
        let margins = try store.items(ids: order).map { learner.margin(learner.encode(SpanItem(id: "", text: $0.text, spans: []))) }
        #expect(margins == margins.sorted())
        #expect(margins.first! < margins.last!)
        // A sentence it was trained on is not among the ones it doubts most.
        #expect(order.first != 4 && order.first != 6)
    }

    @Test func nothingIsReorderedBeforePeopleMarkedASpan() throws {
        let dir = try TemporaryDirectory()
        let store = try store(in: dir, decide: false)
        #expect(try QueueReranker(config: config()).rank(store: store, seed: 1).order == nil)
        try store.recordSpanDecision(Decision(itemId: 3, annotator: "ann", kind: .correct), spans: [])
        try store.recordSpanDecision(Decision(itemId: 4, annotator: "ann", kind: .correct), spans: [])
        #expect(try QueueReranker(config: config()).rank(store: store, seed: 1).order == nil)
    }
}
