import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// The re-rank of a multi-label project: the one-vs-rest learner trained on people's sets, the
/// open items ordered by how unsure it is of their whole set.
@Suite struct MultiLabelQueueRankingTests {
    static let labels = LabelSet(names: ["joy", "sadness"])

    func config() -> ProjectConfig {
        var config = ProjectConfig(name: "sets", labels: Self.labels)
        config.task = .multi
        config.queue.randomShare = 0
        return config
    }

    @Test func theItemWhoseSetTheLearnerIsLeastSureOfComesFirst() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        let decided: [(String, [String])] = [
            ("happy glad smile sunshine", ["joy"]), ("glad happy cheerful smile", ["joy"]), ("smile happy delighted glad", ["joy"]),
            ("sad tears gloomy sorrow", ["sadness"]), ("gloomy sad tears grief", ["sadness"]), ("tears sorrow sad gloomy", ["sadness"]),
            ("happy glad tears sad bittersweet", ["joy", "sadness"]), ("table chair window door", []),
        ]
        let open = ["happy glad smile cheerful", "sad gloomy tears sorrow", "happy glad sad tears", "chair table door window"]
        _ = try store.importItems { sink in
            for (text, _) in decided { try sink.add(ImportRecord(text: text)) }
            for text in open { try sink.add(ImportRecord(text: text)) }
        }
        for (index, (_, set)) in decided.enumerated() {
            try store.recordDecision(Decision(itemId: Int64(index + 1), annotator: "alice", kind: .correct,
                                              label: MultiLabelAnswer(set, labels: Self.labels).encoded))
        }
        let ranking = try QueueReranker(config: config()).rank(store: store, seed: 1)
        let order = try #require(ranking.order)
        let openIds = (decided.count + 1...decided.count + open.count).map(Int64.init)
        #expect(Set(order) == Set(openIds))
        #expect(ranking.trainedOn == decided.count)
        #expect(ranking.learnerLabels.isEmpty)
        // The learner's per-label "in" probabilities, one per label, saved as its opinions.
        #expect(ranking.learnerProbabilities.count == open.count)
        #expect(ranking.learnerProbabilities.values.allSatisfy { $0.count == 2 })
        // The first is the item with the largest per-label entropy: the one mixing joy's and
        // sadness's words, whose set the learner cannot settle on either label.
        let uncertainty = { (id: Int64) in SetUncertaintyMeasure.maxEntropy.uncertainty(ranking.learnerProbabilities[id]!) }
        let mostUncertain = try #require(openIds.max { uncertainty($0) < uncertainty($1) })
        #expect(order.first == mostUncertain)
        #expect(try store.items(ids: [order[0]]).map(\.text) == ["happy glad sad tears"],
                "uncertainties \(openIds.map(uncertainty))")
        let joyful = try #require(ranking.learnerProbabilities[openIds[0]])
        #expect(joyful[0] > 0.5 && joyful[1] < 0.5)
    }

    @Test func nothingToLearnWhileEveryDecidedSetIsTheSame() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        _ = try store.importItems { sink in
            for index in 1...4 { try sink.add(ImportRecord(text: "text \(index)")) }
        }
        for itemId in Int64(1)...2 {
            try store.recordDecision(Decision(itemId: itemId, annotator: "alice", kind: .correct, label: #"["joy"]"#))
        }
        #expect(try QueueReranker(config: config()).rank(store: store, seed: 1).order == nil)
    }
}
