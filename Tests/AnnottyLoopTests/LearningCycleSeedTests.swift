import AnnottyCore
import AnnottyTestSupport
import AnnottyTUI
@testable import AnnottyLoop
import Foundation
import Testing

/// A replay's `--seed` shows another path of the same replay: the learning cycle's seeds (the
/// queue's random share) move with it, and the salt of the learner's folds with the project's
/// `[queue] fold_seed`, which the replay sets; without them they are the cycle's number and 0, as
/// in `annotty label`.
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
        var saltedConfig = project.project.config
        saltedConfig.queue.foldSeed = 1_000_000
        let moved = LearningCycle(config: saltedConfig, store: project.store, inbox: Inbox(), seedOffset: 1_000_000)

        let first = try #require(plain.runCycle())
        let second = try #require(plain.runCycle())
        let movedFirst = try #require(moved.runCycle())
        #expect(first.ranking == (try reranker.rank(store: project.store, seed: 1)))
        #expect(second.ranking == (try reranker.rank(store: project.store, seed: 2)))
        let salted = QueueReranker(config: saltedConfig)
        #expect(movedFirst.ranking == (try salted.rank(store: project.store, seed: 1_000_001)))
        // The folds stay put from cycle to cycle: on the same labels, the same out-of-fold opinions
        // (as `annotty plan` computes them); another salt puts the items in other folds.
        #expect(!first.ranking.outOfFold.isEmpty)
        #expect(second.ranking.outOfFold == first.ranking.outOfFold)
        #expect(try reranker.outOfFoldOpinions(store: project.store) == first.ranking.outOfFold)
        #expect(movedFirst.ranking.outOfFold != first.ranking.outOfFold)
        // `annotty plan` on the salted project reads the salted folds.
        #expect(try salted.outOfFoldOpinions(store: project.store) == movedFirst.ranking.outOfFold)
    }

    @Test func aReplaySeedAboveOneMovesTheCyclesByAMillion() {
        var settings = LoopReplay.Settings()
        #expect(settings.learningSeedOffset == 0)
        settings.seed = 3
        #expect(settings.learningSeedOffset == 2_000_000)
        settings.seed = 0
        #expect(settings.learningSeedOffset == 0)
    }

    /// The replay writes its folds' salt into its project's annotty.toml, and the halfway copy
    /// keeps it: `annotty plan` on either reads the folds the replay's loop read. Seed 1 writes
    /// none (`annotty label`'s folds).
    @Test func aReplayRecordsItsFoldsInTheProjectAndTheHalfwayCopy() throws {
        let rows = (1...12).map { index in
            (id: "r\(index)", text: index % 2 == 0 ? "good lovely thing \(index)" : "bad awful thing \(index)",
             gold: index % 2 == 0 ? "positive" : "negative")
        }
        let labels = LabelSet(names: ["negative", "positive"])
        let tier = LoopReplay.Tier(name: "recorded", answers: Dictionary(uniqueKeysWithValues: rows.map {
            ($0.id, [$0.gold: 0.8, ($0.gold == "positive" ? "negative" : "positive"): 0.2])
        }), pricePerCall: 0)
        let items = rows.map { LoopReplay.Item(id: $0.id, text: $0.text, gold: $0.gold) }
        for (seed, foldSeed) in [(UInt64(1), Int?.none), (3, 2_000_000)] {
            let dir = try TemporaryDirectory()
            var settings = LoopReplay.Settings()
            settings.seed = seed
            settings.halfwayFolder = URL(fileURLWithPath: dir.path("halfway"))
            _ = try LoopReplay.run(items: items, labels: labels, tiers: [tier], settings: settings,
                                   folder: URL(fileURLWithPath: dir.path("replay"))) { _ in }
            for folder in ["replay", "halfway"] {
                let config = try Project.open(URL(fileURLWithPath: dir.path(folder))).config
                #expect(config.queue.foldSeed == foldSeed, "seed \(seed), \(folder)")
                #expect(QueueReranker(config: config).foldSalt == settings.learningSeedOffset)
            }
        }
    }
}
