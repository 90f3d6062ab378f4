import AnnottyCore
import AnnottyLLM
import AnnottyTestSupport
import Foundation
import Testing
@testable import AnnottyLoop

/// The prefetcher on a real store with a scripted scorer: what it asks for, in which order, what
/// it delivers. Waits are on the scorer's log or the delivered predictions, never a sleep.
@Suite struct PrefetcherTests {
    static let texts = (1...8).map { "item-\($0)" }

    func make(_ project: LoopProject, _ scorer: ScriptedScorer, concurrency: Int = 1, ahead: Int = 3,
              clock: TestClock = TestClock()) -> (Prefetcher, LLMSession, EventLog<Prediction>) {
        var settings = project.project.config.llm
        settings.maxConcurrency = concurrency
        settings.prefetchAhead = ahead
        let session = LLMSession(settings: settings, labels: project.project.config.labels,
                                 guidelines: Guidelines(markdown: "", labels: project.project.config.labels),
                                 store: project.store, environment: [:], scorerFactory: { _, _ in scorer })
        let prefetcher = Prefetcher(session: session, store: project.store, clock: { clock.now }, tickInterval: nil)
        let delivered = EventLog<Prediction>()
        prefetcher.onPrediction = { delivered.add($0) }
        return (prefetcher, session, delivered)
    }

    @Test func predictsInTheOrderTheScreenGivesThenTheQueue() throws {
        let project = try LoopProject(items: PrefetcherTests.texts)
        let scorer = ScriptedScorer(delay: 0.01)
        let (prefetcher, session, _) = make(project, scorer, ahead: 4)
        defer { prefetcher.stop(); session.stop() }
        let ids = project.itemIds
        // Told before it starts, as the screen does after its first draw: these go first.
        prefetcher.setUpcoming([ids[5], ids[2]])
        prefetcher.start()
        #expect(scorer.log.wait { $0.count >= 4 })
        // The two the screen named first, then the queue's head.
        #expect(Array(scorer.askedTexts.prefix(4)) == ["item-6", "item-3", "item-1", "item-2"])
    }

    @Test func anItemMovedToTheFrontGoesNext() throws {
        let project = try LoopProject(items: PrefetcherTests.texts)
        let scorer = ScriptedScorer(delay: 0.3)
        let (prefetcher, session, _) = make(project, scorer, ahead: 8)
        defer { prefetcher.stop(); session.stop() }
        let ids = project.itemIds
        prefetcher.start()
        prefetcher.setUpcoming(Array(ids.prefix(4)))
        #expect(scorer.log.wait { $0.count >= 1 })
        // While item-1 is in flight the selector re-ranks: item-8 is now first in line.
        prefetcher.setUpcoming([ids[0], ids[7], ids[1]])
        #expect(scorer.log.wait { $0.count >= 3 })
        #expect(Array(scorer.askedTexts.prefix(3)) == ["item-1", "item-8", "item-2"])
    }

    @Test func predictionsAreSavedAndDeliveredButInvalidAnswersAreNot() throws {
        let project = try LoopProject(items: PrefetcherTests.texts)
        let scorer = ScriptedScorer(replies: ["item-2": [.invalid]])
        let (prefetcher, session, delivered) = make(project, scorer, concurrency: 2, ahead: 3)
        defer { prefetcher.stop(); session.stop() }
        let ids = project.itemIds
        let statuses = EventLog<LLMStatus>()
        prefetcher.onStatus = { statuses.add($0) }
        // The invalid one is on screen: the status keeps saying why it has no pre-label.
        prefetcher.start()
        prefetcher.setUpcoming([ids[1], ids[0], ids[2]])
        #expect(statuses.wait { $0.last?.reason?.contains("invalid answer") == true })
        #expect(delivered.wait { Set($0.map(\.itemId)) == [ids[0], ids[2]] })
        let stored = try project.store.latestPredictions(itemIds: Array(ids.prefix(3)))
        #expect(stored[ids[0]]?.label == "positive")
        #expect(stored[ids[1]]?.isValid == false)
        #expect(prefetcher.status.reason == "item \(ids[1]): invalid answer: label \"meh\" is not in the label set")
    }

    @Test func itemsAlreadyPredictedAreNotAskedAgain() throws {
        let project = try LoopProject(items: PrefetcherTests.texts)
        let scorer = ScriptedScorer()
        let ids = project.itemIds
        try project.store.savePrediction(Prediction(itemId: ids[0], model: "scripted-model", label: "negative",
                                                    probabilities: ["positive": 0.1, "negative": 0.9], promptHash: "x"))
        let (prefetcher, session, delivered) = make(project, scorer, ahead: 2)
        defer { prefetcher.stop(); session.stop() }
        prefetcher.start()
        prefetcher.setUpcoming([ids[0], ids[1]])
        #expect(delivered.wait { Set($0.map(\.itemId)).isSuperset(of: [ids[0], ids[1]]) })
        #expect(scorer.askedTexts == ["item-2"])
    }

    @Test func setUpcomingNeverWaitsForTheNetwork() throws {
        let project = try LoopProject(items: PrefetcherTests.texts)
        let scorer = ScriptedScorer(delay: 5)
        let (prefetcher, session, _) = make(project, scorer, concurrency: 2)
        defer { prefetcher.stop(); session.stop() }
        let ids = project.itemIds
        prefetcher.start()
        prefetcher.setUpcoming(ids)
        #expect(scorer.log.wait { $0.count >= 2 })
        var slowest = 0.0
        for round in 0..<50 {
            let started = DispatchTime.now()
            prefetcher.setUpcoming(Array(ids.dropFirst(round % 8)))
            _ = prefetcher.status
            slowest = max(slowest, Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
        }
        // Both requests are still in flight (5 s each) while the screen's calls return at once.
        #expect(scorer.askedTexts.count == 2)
        #expect(slowest < 0.05)
    }
}
