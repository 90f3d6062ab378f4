import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// Likely label errors read from a real SQLite project: people's labels on clearly separable
/// texts, a few of them deliberately flipped.
@Suite struct SuspectDecisionsTests {
    static let labels = LabelSet(names: ["sports", "cooking", "weather"])
    static let words = [
        ["goal", "match", "striker", "referee", "league", "penalty", "stadium", "coach"],
        ["recipe", "oven", "garlic", "simmer", "flour", "butter", "bake", "sauce"],
        ["rain", "forecast", "storm", "sunny", "humidity", "cloud", "wind", "temperature"],
    ]

    /// Item i (1-based) is about topic (i − 1) % 3: five of that topic's eight words, varied by i.
    static func text(_ index: Int) -> String {
        let pool = words[(index - 1) % 3]
        return (0..<5).map { pool[(index + $0 * 3) % 8] }.joined(separator: " ") + ", note \(index)"
    }

    static func truth(_ itemId: Int64) -> String { labels.names[Int((itemId - 1) % 3)] }

    /// `count` items, all labelled by "ann" with the truth except `flipped`, labelled with the next topic.
    static func project(count: Int, flipped: Set<Int64>) throws -> (TemporaryDirectory, SQLiteStore) {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        _ = try store.importItems { sink in
            for index in 1...count { try sink.add(ImportRecord(externalId: "i\(index)", text: text(index))) }
        }
        for itemId in Int64(1)...Int64(count) {
            let truth = labels.index(of: truth(itemId))!
            let label = flipped.contains(itemId) ? labels.names[(truth + 1) % 3] : labels.names[truth]
            try store.recordDecision(Decision(itemId: itemId, annotator: "ann", kind: .correct, label: label))
        }
        return (dir, store)
    }

    @Test func threeFlippedLabelsAmongSixtyAreTheSuspectsWithTheirTrueTopicSuggested() throws {
        let flipped: Set<Int64> = [5, 22, 40]
        let (dir, store) = try Self.project(count: 60, flipped: flipped)
        _ = dir
        let found = try SuspectDecisions.find(store: store, labels: Self.labels, model: nil)
        #expect(found.notJudged == nil && found.judged == 60)
        #expect(Set(found.suspects.map(\.itemId)) == flipped)
        for suspect in found.suspects {
            // 5 is cooking (given weather), 22 sports (given cooking), 40 sports (given cooking).
            #expect(suspect.suggestedLabel == Self.truth(suspect.itemId))
            let truth = Self.labels.index(of: Self.truth(suspect.itemId))!
            #expect(suspect.givenLabel == Self.labels.names[(truth + 1) % 3])
            #expect(suspect.suggestedLabelProbability > suspect.givenLabelProbability)
            #expect(!suspect.includesModelOpinion)
        }
        // Most suspect first.
        let given = found.suspects.map(\.givenLabelProbability)
        #expect(given == given.sorted())

        let line = try SuspectDecisions.statsLine(store: store, labels: Self.labels, model: nil)
        #expect(line == "likely label errors     3 of 60 decisions (review with: annotty review --suspects)")
        // Above the stats limit the learners are not trained, and the line says where to look.
        let capped = try SuspectDecisions.statsLine(store: store, labels: Self.labels, model: nil, limit: 50)
        #expect(capped.contains("not counted above 50 labelled items (60 here): annotty stats --suspects counts them"))
    }

    @Test func theReviewListShowsTheGivenLabelAsTheVoteAndTheSuggestionAsThePrelabel() throws {
        let (dir, store) = try Self.project(count: 30, flipped: [7])
        _ = dir
        // The model's pre-labels agree with the truth (item 7 is sports); they are averaged in,
        // except another model's and an invalid answer.
        for itemId in Int64(1)...28 {
            let truth = Self.truth(itemId)
            try store.savePrediction(Prediction(itemId: itemId, model: "m", label: truth, probabilities: Dictionary(
                uniqueKeysWithValues: Self.labels.names.map { ($0, $0 == truth ? 0.9 : 0.05) })))
        }
        try store.savePrediction(Prediction(itemId: 29, model: "other", label: "sports", probabilities: ["sports": 1]))
        try store.savePrediction(Prediction(itemId: 30, model: "m", label: nil, probabilities: [:], isValid: false, error: "timeout"))
        let found = try SuspectDecisions.find(store: store, labels: Self.labels, model: "m")
        #expect(found.suspects.map(\.itemId) == [7])
        #expect(found.withModelOpinion == 28 && found.suspects.first?.includesModelOpinion == true)
        let items = try found.reviewItems(store: store)
        try #require(items.count == 1)
        #expect(items[0].item.id == 7)
        #expect(items[0].prediction?.label == "sports" && items[0].prediction?.model == "given cooking")
        #expect(items[0].votes == [ItemVote(annotator: "ann", label: "cooking")])
        #expect(items[0].modelLabel == "sports")
    }

    @Test func anItemAReviewerRuledOnIsNotFlaggedAgain() throws {
        let (dir, store) = try Self.project(count: 30, flipped: [7, 14])
        _ = dir
        // The reviewer keeps item 7's label: a final word, even against the learner.
        try store.recordDecision(Decision(itemId: 7, annotator: "rev", kind: .adjudicate, label: "cooking"))
        let found = try SuspectDecisions.find(store: store, labels: Self.labels, model: nil)
        #expect(found.suspects.map(\.itemId) == [14])
    }

    @Test func tooFewDecisionsNamesTheMinimum() throws {
        let (dir, store) = try Self.project(count: 19, flipped: [4])
        _ = dir
        let found = try SuspectDecisions.find(store: store, labels: Self.labels, model: nil)
        #expect(found.suspects.isEmpty)
        #expect(found.notJudged == "too few decisions to look for label errors: 19 items labelled by people, at least 20 needed")
        let line = try SuspectDecisions.statsLine(store: store, labels: Self.labels, model: nil)
        #expect(line.hasSuffix("at least 20 needed"))
    }

    @Test func autoAcceptedLabelsAreNotJudged() throws {
        let (dir, store) = try Self.project(count: 20, flipped: [])
        _ = dir
        // An auto-accept is not a person's label: 19 people's labels remain, under the minimum.
        try store.recordDecision(Decision(itemId: 21 - 1, annotator: "annotty-router", kind: .auto, label: "sports"))
        _ = try store.undoLastDecision(annotator: "ann")
        let found = try SuspectDecisions.find(store: store, labels: Self.labels, model: nil)
        #expect(found.judged == 19 && found.notJudged != nil)
    }
}
