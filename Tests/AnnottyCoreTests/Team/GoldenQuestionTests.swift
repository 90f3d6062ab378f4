import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// Scripted annotators with known error rates label a queue with golden questions mixed in;
/// `stats` must report exactly the accuracy each of them had on the golden questions.
@Suite struct GoldenQuestionTests {
    static let labels = LabelSet(names: ["a", "b", "c"])

    @Test func perAnnotatorGoldenAccuracyIsExactlyWhatTheyScored() throws {
        let dir = try TemporaryDirectory()
        // A fixed mixing seed: seeded from the clock, one run in many gave a person 19 golden
        // questions, under the 20 this test asks for to mean anything.
        let store = try SQLiteStore(path: dir.path("golden.sqlite"), overlapPolicy: OverlapPolicy(goldenRate: 0.25), goldenSeed: 7)
        _ = try store.importItems { sink in
            for index in 0..<300 { try sink.add(ImportRecord(externalId: "r\(index)", text: "regular item \(index)")) }
            for index in 0..<40 {
                try sink.add(ImportRecord(externalId: "g\(index)", text: "golden item \(index)", goldLabel: Self.labels.names[index % 3]))
            }
        }
        let gold = try store.goldLabels()
        let errorRates = ["careful": 0.0, "average": 0.2, "sloppy": 0.5]
        var scored: [String: (answered: Int, correct: Int)] = [:]
        var random = SeededGenerator(seed: 11)
        var active = Set(errorRates.keys)
        while !active.isEmpty {
            for name in errorRates.keys.sorted() where active.contains(name) {
                let batch = try store.claimNextItems(annotator: name, limit: 5, excluding: [], leaseSeconds: 60)
                if batch.isEmpty { active.remove(name); continue }
                for queued in batch {
                    var label = Self.labels.names[random.nextIndex(below: 3)]
                    if let answer = gold[queued.item.id] {
                        let wrong = random.nextUnitDouble() < errorRates[name]!
                        label = wrong ? Self.labels.names[(Self.labels.index(of: answer)! + 1) % 3] : answer
                        scored[name, default: (0, 0)].answered += 1
                        if !wrong { scored[name, default: (0, 0)].correct += 1 }
                    }
                    try store.recordDecision(Decision(itemId: queued.item.id, annotator: name, kind: .correct, label: label,
                                                      timeSpentMs: 1000))
                }
            }
        }
        let statistics = try ProjectStatistics(store: store)
        for person in statistics.annotators {
            let expected = try #require(scored[person.name])
            #expect(person.goldenAnswered == expected.answered, "\(person.name)")
            #expect(person.goldenCorrect == expected.correct, "\(person.name)")
            #expect(expected.answered >= 20, "golden questions reached \(person.name): \(expected.answered)")
        }
        let accuracy = Dictionary(uniqueKeysWithValues: statistics.annotators.map { ($0.name, $0.goldenAccuracy ?? -1) })
        #expect(accuracy["careful"] == 1)
        #expect(accuracy["careful"]! > accuracy["average"]! && accuracy["average"]! > accuracy["sloppy"]!)
        // Each golden question reaches a person at most once; regular items are labelled once.
        let decisions = try store.effectiveDecisions()
        let pairs = decisions.map { "\($0.itemId)-\($0.annotator)" }
        #expect(Set(pairs).count == pairs.count)
        #expect(try store.openItemIds(limit: 10).isEmpty)
    }
}
