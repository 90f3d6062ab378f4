@testable import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// What the task learner reads of an item: the words of its text and display fields, and each
/// categorical column (a star rating) as a feature of its own.
@Suite struct ItemFeaturizerTests {
    static func review(_ text: String, stars: Int, product: String) -> Item {
        Item(text: text, metadataJSON: #"{"product": "\#(product)", "stars": \#(stars)}"#)
    }

    @Test func aColumnWithFewValuesIsAFeatureAndOneWithAValuePerItemIsNot() {
        let items = (0..<12).map { Self.review("it arrived on time", stars: $0 % 3 + 1, product: "product \($0)") }
        let featurizer = ItemFeaturizer(fitting: items)
        #expect(featurizer.categoricalColumns == ["stars": ["1", "2", "3"]])
        // Same text, other stars: other vectors; same stars, other product: the same vector.
        #expect(featurizer.vector(for: items[0]) != featurizer.vector(for: items[1]))
        #expect(featurizer.vector(for: items[0]) == featurizer.vector(for: items[3]))
        #expect(abs(featurizer.vector(for: items[0]).norm - 1) < 1e-6)
        // A value never seen when fitted adds nothing.
        let unseen = featurizer.vector(for: Self.review("it arrived on time", stars: 9, product: "x"))
        #expect(unseen == featurizer.vectorizer.vector(for: "it arrived on time"))
    }

    @Test func withoutColumnsTheVectorIsTheTextsOwn() {
        let items = [Item(text: "What is the capital of France ?"), Item(text: "Who wrote Hamlet ?"),
                     Item(text: "Is it raining", fields: [ItemField(name: "hypothesis", value: "the sky is wet")])]
        let featurizer = ItemFeaturizer(fitting: items)
        let vectorizer = TextVectorizer(fittingTexts: ["What is the capital of France ?", "Who wrote Hamlet ?",
                                                       "Is it raining\nthe sky is wet"])
        #expect(featurizer.vector(for: items[0]) == vectorizer.vector(for: "What is the capital of France ?"))
        // A display field with a value per item is read as words, not as a column feature.
        #expect(featurizer.categoricalColumns.isEmpty)
        #expect(featurizer.vector(for: items[2]) == vectorizer.vector(for: "Is it raining\nthe sky is wet"))
    }

    @Test func theLearnerInAProjectLearnsALabelFromTheStarsWhereTheTextsSayNothing() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        let labels = LabelSet(names: ["positive", "negative"])
        // The same few bland texts under every label (numbered: an import keeps one of identical
        // texts): only the stars tell them apart.
        let texts = ["it is a product", "bought it last week", "came in a box", "does what it says"]
        var decided: [(Item, String)] = []
        for index in 0..<24 {
            let positive = index % 2 == 0
            decided.append((Self.review("\(texts[(index / 2) % 4]) \(index)", stars: positive ? 5 : 1, product: "item \(index)"),
                            positive ? "positive" : "negative"))
        }
        let open = [Self.review("came in a box 90", stars: 1, product: "open 1"), Self.review("came in a box 91", stars: 5, product: "open 2")]
        _ = try store.importItems { sink in
            for item in decided.map(\.0) + open {
                try sink.add(ImportRecord(text: item.text, metadataJSON: item.metadataJSON))
            }
        }
        for (index, (_, label)) in decided.enumerated() {
            try store.recordDecision(Decision(itemId: Int64(index + 1), annotator: "alice", kind: .correct, label: label))
        }
        var config = ProjectConfig(name: "reviews", labels: labels)
        config.queue.randomShare = 0
        let ranking = try QueueReranker(config: config).rank(store: store, seed: 1)
        let oneStar = try #require(ranking.learnerProbabilities[Int64(decided.count + 1)])
        let fiveStars = try #require(ranking.learnerProbabilities[Int64(decided.count + 2)])
        #expect(oneStar[1] > 0.8, "one star: \(oneStar)")
        #expect(fiveStars[0] > 0.8, "five stars: \(fiveStars)")
        #expect(ranking.learnerLabels[Int64(decided.count + 1)] == "negative")
        #expect(ranking.learnerLabels[Int64(decided.count + 2)] == "positive")
    }
}
