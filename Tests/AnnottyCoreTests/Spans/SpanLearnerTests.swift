import Testing
@testable import AnnottyCore
import AnnottyTestSupport

@Suite struct SpanLearnerTests {
    @Test func tagSetAllowsInsideOnlyAfterTheSameType() {
        let tags = SpanTagSet(types: ["PER", "LOC"])
        #expect(tags.names == ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"])
        #expect(!tags.allows(nil, 2), "a sentence cannot open with I-LOC")
        #expect(tags.allows(1, 2) && tags.allows(2, 2))
        #expect(!tags.allows(3, 2) && !tags.allows(0, 4))
        #expect(tags.allows(4, 1) && tags.allows(nil, 3))
    }

    /// Viterbi and its margin against brute force over every valid sequence, with random weights.
    @Test func viterbiFindsTheBestValidSequenceAndTheExactMarginToTheSecond() {
        let tagSet = SpanTagSet(types: ["LOC", "PER"])
        let tagCount = tagSet.count
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<20 {
            let length = 4
            let features: [[Int32]] = (0..<length).map { [Int32($0), 4] }
            let emission = (0..<(5 * tagCount)).map { _ in Float(generator.nextUnitDouble() * 4 - 2) }
            let transition = (0..<((tagCount + 1) * tagCount)).map { _ in Float(generator.nextUnitDouble() * 2 - 1) }
            var scores: [(tags: [Int], score: Double)] = []
            func enumerate(_ prefix: [Int]) {
                if prefix.count == length {
                    var total = 0.0
                    for (position, tag) in prefix.enumerated() {
                        let previous = position == 0 ? -1 : prefix[position - 1]
                        total += Double(transition[(previous + 1) * tagCount + tag])
                        for bucket in features[position] { total += Double(emission[Int(bucket) * tagCount + tag]) }
                    }
                    scores.append((prefix, total))
                    return
                }
                for tag in 0..<tagCount where tagSet.allows(prefix.last, tag) { enumerate(prefix + [tag]) }
            }
            enumerate([])
            scores.sort { $0.score > $1.score }
            let decoded = SpanLearner.viterbi(features, tagSet: tagSet, tagCount: tagCount,
                                              emission: emission, transition: transition)
            #expect(decoded.tags == scores[0].tags)
            #expect(abs(decoded.margin - (scores[0].score - scores[1].score)) < 1e-4)
            for position in 0..<length {
                let rival = scores.first { $0.tags[position] != scores[0].tags[position] }!
                #expect(abs(decoded.tokenMargins[position] - (scores[0].score - rival.score)) < 1e-4)
            }
        }
    }

    @Test func learnsNamesFromContextAndIsLessSureOfAnUnseenPattern() {
        let people = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald"]
        let places = ["Paris", "Oslo", "Lima", "Quito", "Hanoi", "Accra"]
        var items: [SpanItem] = []
        for (index, person) in people.enumerated() {
            let place = places[(index + 1) % places.count]
            let text = "Yesterday \(person) flew to \(place) ."
            let personStart = 10
            let placeStart = personStart + person.count + 9
            items.append(SpanItem(id: "\(index)", text: text, spans: [
                EntitySpan(start: personStart, end: personStart + person.count, type: "PER", text: person),
                EntitySpan(start: placeStart, end: placeStart + place.count, type: "LOC", text: place),
            ]))
        }
        let learner = SpanLearner.train(on: items, types: ["PER", "LOC"],
                                        options: SpanLearner.Options(featureBuckets: 1 << 16, epochs: 10))
        let unseen = SpanItem(id: "u", text: "Yesterday Linus flew to Bern .", spans: [])
        let prediction = learner.predict(unseen)
        #expect(prediction.spans.map { "\($0.type):\($0.text)" } == ["PER:Linus", "LOC:Bern"])
        let odd = learner.predict(SpanItem(id: "o", text: "flew Linus Bern to yesterday", spans: []))
        #expect(odd.margin < prediction.margin)
        #expect(prediction.spanMargins.count == 2)
        #expect(prediction.spanMargins.allSatisfy { $0 >= prediction.margin })
    }
}

/// The learner on real data, small enough for a debug test (the full figure, 0.844 F1 on all of
/// eng.train, comes from `annotty-bench spans-learner`).
@Suite(.enabled(if: SharedDatasets.available, Comment(rawValue: SharedDatasets.missingMessage)))
struct SpanLearnerCoNLLTests {
    @Test func threeThousandTrainingSentencesReachTwoThirdsEntityF1OnTestb() throws {
        let train = try CoNLLReader().read(path: SharedDatasets.url("conll2003/eng.train").path)
        let test = try CoNLLReader().read(path: SharedDatasets.url("conll2003/eng.testb").path)
        let learner = SpanLearner.train(on: Array(train.prefix(3000)), types: ["LOC", "MISC", "ORG", "PER"],
                                        options: SpanLearner.Options(featureBuckets: 1 << 18, epochs: 5))
        var score = EntityF1()
        for item in test { score.add(gold: item.spans.map(\.key), predicted: learner.predict(item).spans.map(\.key)) }
        #expect(score.f1 >= 0.67, "F1 \(score.f1)")
    }
}
