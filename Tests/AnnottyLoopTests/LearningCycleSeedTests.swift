import AnnottyCore
import AnnottyTUI
@testable import AnnottyLoop
import Foundation
import Testing

/// A replay's `--seed` shows another path of the same replay: the learning cycle's seeds (the
/// queue's random share) and the salt of the learner's folds move with it, and without it they
/// are the cycle's number and 0, as in `annotty label`.
@Suite struct LearningCycleSeedTests {
    /// A project without an LLM, 30 of its 60 items labelled by people (the words give the label away).
    static func project() throws -> LoopProject {
        let texts = (1...60).map { index in
            ["good lovely thing \(index)", "bad awful thing \(index)", "plain ordinary thing \(index)"][index % 3]
        }
        let project = try LoopProject(items: texts) { $0.llm.provider = .none }
        for item in try project.store.items(ids: Array(project.itemIds.prefix(30))) {
            let label = item.text.hasPrefix("good") ? "positive" : item.text.hasPrefix("bad") ? "negative" : "neutral"
            try project.store.recordDecision(Decision(itemId: item.id, annotator: "alice", kind: .correct, label: label))
        }
        return project
    }

    @Test func eachCycleIsSeededWithItsNumberPlusTheOffset() throws {
        let project = try Self.project()
        let reranker = QueueReranker(config: project.project.config)
        let plain = LearningCycle(config: project.project.config, store: project.store, inbox: Inbox())
        let moved = LearningCycle(config: project.project.config, store: project.store, inbox: Inbox(), seedOffset: 1_000_000)

        let first = try #require(plain.runCycle())
        let second = try #require(plain.runCycle())
        let movedFirst = try #require(moved.runCycle())
        #expect(first.ranking == (try reranker.rank(store: project.store, seed: 1)))
        #expect(second.ranking == (try reranker.rank(store: project.store, seed: 2)))
        let salted = QueueReranker(config: project.project.config, foldSalt: 1_000_000)
        #expect(movedFirst.ranking == (try salted.rank(store: project.store, seed: 1_000_001)))
        // The folds stay put from cycle to cycle: on the same labels, the same out-of-fold opinions
        // (as `annotty plan` computes them); another salt puts the items in other folds.
        #expect(!first.ranking.outOfFold.isEmpty)
        #expect(second.ranking.outOfFold == first.ranking.outOfFold)
        #expect(try reranker.outOfFoldOpinions(store: project.store) == first.ranking.outOfFold)
        #expect(movedFirst.ranking.outOfFold != first.ranking.outOfFold)
    }

    @Test func aReplaySeedAboveOneMovesTheCyclesByAMillion() {
        var settings = LoopReplay.Settings()
        #expect(settings.learningSeedOffset == 0)
        settings.seed = 3
        #expect(settings.learningSeedOffset == 2_000_000)
        settings.seed = 0
        #expect(settings.learningSeedOffset == 0)
    }
}
