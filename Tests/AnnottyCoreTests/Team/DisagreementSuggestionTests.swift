import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// What `annotty review` shows of each disagreement: the votes, and a suggested final label.
@Suite struct DisagreementSuggestionTests {
    let labels = LabelSet(names: ["positive", "negative", "neutral"])

    func makeStore(_ dir: TemporaryDirectory, votes: [[String]]) throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"), overlapPolicy: OverlapPolicy(overlap: 3, maxOverlap: 3))
        _ = try store.importItems { sink in
            for index in votes.indices { try sink.add(ImportRecord(text: "item \(index + 1)")) }
        }
        for (index, itemVotes) in votes.enumerated() {
            for (person, label) in itemVotes.enumerated() {
                try store.recordDecision(Decision(itemId: Int64(index + 1), annotator: "p\(person)", kind: .correct, label: label))
            }
        }
        return store
    }

    @Test func theSuggestionIsTheMajorityAndATieHasNone() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir, votes: [["positive", "negative", "positive"], ["positive", "negative"]])
        let found = try Disagreements.find(store: store, labels: labels)
        #expect(found.map(\.item.id) == [1, 2])
        #expect(found[0].votes == [ItemVote(annotator: "p0", label: "positive"), ItemVote(annotator: "p1", label: "negative"),
                                   ItemVote(annotator: "p2", label: "positive")])
        #expect(found[0].prediction?.label == "positive")
        #expect(found[0].prediction?.model == Disagreements.majoritySuggestion)
        #expect(found[1].prediction == nil)
    }

    @Test func aStoredDawidSkeneLabelIsTheSuggestion() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir, votes: [["positive", "negative", "positive"]])
        try store.replaceAggregates(method: "dawid-skene", [AggregatedLabel(itemId: 1, label: "negative",
                                                                            posteriors: ["negative": 0.7, "positive": 0.3])])
        let found = try Disagreements.find(store: store, labels: labels)
        #expect(found[0].prediction?.label == "negative")
        #expect(found[0].prediction?.model == Disagreements.dawidSkeneSuggestion)
    }

    @Test func closeOnlyKeepsVotesAtMostOneApart() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir, votes: [["positive", "positive", "positive", "negative"],
                                               ["positive", "negative"], ["positive", "positive", "negative"]])
        #expect(try Disagreements.find(store: store, labels: labels).map(\.item.id) == [1, 2, 3])
        #expect(try Disagreements.find(store: store, labels: labels, closeOnly: true).map(\.item.id) == [2, 3])
    }
}
