import AnnottyCore
import AnnottyLLM
import AnnottyTUI
import AnnottyTestSupport
import Foundation
import Testing
@testable import AnnottyLoop

/// The whole loop without a terminal and without the executable: a real SQLite store, a
/// scripted scorer, an injected clock, the screen logic on a memory screen. Every wait is on
/// the loop's own event queue (the inbox) with a timeout; nothing sleeps.
@Suite struct LabelingLoopTests {
    /// The screen side of a loop: a controller on a memory screen, pumped from the inbox.
    final class Screenful {
        let loop: LabelingLoop
        let screen = MemoryScreen(size: ScreenSize(rows: 24, columns: 80), capabilities: .full)
        let controller: LabelingController
        private var time: TimeInterval = 1000

        init(_ loop: LabelingLoop) {
            self.loop = loop
            var clock: TimeInterval = 1000
            controller = loop.makeController(screen: screen, clock: { clock += 0.5; return clock })
            controller.start()
            settle()
        }

        func settle() {
            controller.renderIfNeeded()
            while controller.runDeferred() { controller.renderIfNeeded() }
        }

        func press(_ keys: KeyPress...) {
            for key in keys {
                controller.handleKey(key)
                settle()
            }
        }

        /// Handles what background work posts until `condition` holds or `timeout` passes.
        @discardableResult
        func pump(timeout: Double = 10, until condition: () -> Bool) -> Bool {
            let deadline = Date(timeIntervalSinceNow: timeout)
            while !condition() {
                let left = deadline.timeIntervalSinceNow
                if left <= 0 { return false }
                loop.inbox.waitForEvents(timeout: left)
                controller.drainInbox()
                settle()
            }
            return true
        }

        var current: QueuedItem? { controller.state.current }
    }

    static let reviews = ["Great lamp.", "Broken on arrival.", "It is a lamp.", "Nice but loud.", "Love it.", "Awful."]

    @Test func aPredictionArrivingForTheItemOnScreenIsShownCalibrated() throws {
        let project = try LoopProject(items: LabelingLoopTests.reviews)
        let clock = TestClock()
        let scorer = ScriptedScorer(delay: 0.05)
        let loop = try project.loop(scorer, clock: clock)
        defer { loop.stop() }
        let screen = Screenful(loop)
        // The first item is drawn before any background work starts: no pre-label yet.
        #expect(screen.current?.item.text == "Great lamp.")
        #expect(screen.current?.prediction == nil)
        loop.startBackground()
        #expect(screen.pump { screen.current?.prediction != nil })
        let shown = try #require(screen.current?.prediction)
        #expect(shown.label == "positive")
        // Calibrated once, by the store as it saved the prediction (identity before any outcome).
        #expect(shown.calibratedConfidence == 0.7)
        let stored = try project.store.latestPredictions(itemIds: [shown.itemId])[shown.itemId]
        #expect(stored?.calibratedConfidence == 0.7)
        #expect(screen.screen.text.contains("positive"))
    }

    @Test func aCorrectionBecomesAVerifiedOutcomeAndTheCalibrationIsRefitted() throws {
        let project = try LoopProject(items: LabelingLoopTests.reviews) { $0.queue.rerankEvery = 1 }
        let scorer = ScriptedScorer()
        let loop = try project.loop(scorer, clock: TestClock())
        defer { loop.stop() }
        let screen = Screenful(loop)
        loop.startBackground()
        #expect(screen.pump { screen.current?.prediction?.label == "positive" })
        let corrected = try #require(screen.current?.item.id)
        // The model said positive; the person says negative (key 2).
        screen.press(.character("2"))
        #expect(screen.pump {
            (try? project.store.calibration(model: "scripted-model"))?.map(\.verifiedOutcomes) ?? 0 >= 1
        })
        let outcomes = try VerifiedOutcomes(store: project.store, model: "scripted-model", labels: LoopProject.labels)
        #expect(outcomes.outcomes.map(\.itemId) == [corrected])
        #expect(outcomes.accuracy == 0)
        let stored = try #require(try project.store.calibration(model: "scripted-model"))
        #expect(stored.measuredAccuracy == 0)
    }

    @Test func aRoutingPassAutoAcceptsTheConfidentAndPutsTheUnsureFirst() throws {
        let texts = ["sure 1", "sure 2", "sure 3", "sure 4", "unsure 1", "sure 5", "unsure 2"]
        let project = try LoopProject(items: texts) { config in
            config.queue.rerankEvery = 2
            config.routing.minVerifiedOutcomes = 2
            config.routing.accuracyFloor = 0.5
            config.routing.autoAccept = 0.8
            config.routing.review = 0.6
            config.llm.prefetchAhead = 1
        }
        // As `annotty prelabel` would have left them: every item predicted.
        for (itemId, text) in zip(project.itemIds, texts) {
            let top = text.hasPrefix("sure") ? 0.9 : 0.4
            try project.store.savePrediction(Prediction(itemId: itemId, model: "scripted-model", label: "positive",
                                                        probabilities: ["positive": top, "negative": 1 - top]))
        }
        let loop = try project.loop(ScriptedScorer(), clock: TestClock())
        defer { loop.stop() }
        let screen = Screenful(loop)
        loop.startBackground()
        // Two accepts are two verified outcomes, both right: the router may now auto-accept.
        screen.press(.enter)
        screen.press(.enter)
        let autoAccepted = { try project.store.allDecisions().filter { $0.kind == .auto }.map(\.itemId) }
        #expect(screen.pump { ((try? autoAccepted()) ?? []).count == 3 })
        let everyItem = try project.store.items(ids: Array(1...Int64(texts.count)))
        let textById = Dictionary(uniqueKeysWithValues: everyItem.map { ($0.id, $0.text) })
        let auto = try autoAccepted()
        #expect(auto.allSatisfy { textById[$0]?.hasPrefix("sure") == true })
        // What is left for people: the two unsure items first.
        let open = try project.store.openItemIds(limit: 10).map { textById[$0] ?? "" }
        #expect(Array(open.prefix(2)).sorted() == ["unsure 1", "unsure 2"])
    }

    @Test func aReRankChangesWhatComesAfterTheItemOnScreen() throws {
        let texts = ["good good good", "bad bad bad", "good day", "bad day", "good and bad", "a day", "bad and good",
                     "good", "bad", "nothing here"]
        let project = try LoopProject(items: texts) { config in
            config.queue.rerankEvery = 2
            config.queue.strategy = "margin"
        }
        let loop = try LabelingLoop(project: project.project, store: project.store, annotator: "alice", guidelines: nil,
                                    model: .none)
        defer { loop.stop() }
        let screen = Screenful(loop)
        loop.startBackground()
        screen.press(.character("1"))  // good good good: positive
        screen.press(.character("2"))  // bad bad bad: negative
        let onScreen = try #require(screen.current?.item.id)
        #expect(screen.pump { !screen.controller.state.learnerLabels.isEmpty })
        #expect(screen.pump { screen.controller.state.upcoming.first.map { $0.item.id } == (try? project.store.openItemIds(limit: 10))?.first { $0 != onScreen } })
        // The item on screen stays; what follows it is the learner's new order.
        #expect(screen.current?.item.id == onScreen)
        let storeOrder = try project.store.openItemIds(limit: 10).filter { $0 != onScreen }
        let upcoming = screen.controller.state.upcoming.map(\.item.id)
        #expect(Array(storeOrder.prefix(upcoming.count)) == upcoming)
        #expect(storeOrder != storeOrder.sorted())
    }

    @Test func theModelFailingThenRecoveringShowsWhyAndThenThePrelabel() throws {
        let project = try LoopProject(items: LabelingLoopTests.reviews)
        let clock = TestClock()
        let scorer = ScriptedScorer(replies: ["Great lamp.": [.failure("connection refused")]])
        let loop = try project.loop(scorer, clock: clock)
        defer { loop.stop() }
        let screen = Screenful(loop)
        loop.startBackground()
        #expect(screen.pump { screen.controller.state.llmStatus.state == .failing })
        #expect(screen.controller.state.llmStatus.reason?.contains("connection refused") == true)
        #expect(screen.current?.prediction == nil)
        // The item on screen can still be labelled by hand meanwhile; time passes the cooldown.
        clock.advance(16)
        loop.prefetcher?.tick()
        #expect(screen.pump { screen.current?.prediction?.label == "positive" })
        #expect(screen.pump { screen.controller.state.llmStatus.state == .ready })
        #expect(scorer.askedTexts.filter { $0 == "Great lamp." }.count == 2)
    }
}

/// The task learner's opinion reaching the pre-label through the loop: saved for open items by
/// each learning cycle, pooled with the LLM's by the combiner that the routing pass refits, shown
/// with its source, and the other opinion one key away.
@Suite struct OpinionCombinationLoopTests {
    @Test func aLearnerThatBeatsABiasedLLMTakesOverThePrelabelAndTheLLMStaysOneKeyAway() throws {
        // The LLM says "positive" for everything; the words give the truth away to the learner.
        let texts = (1...48).map { $0 % 2 == 0 ? "bad awful thing number \($0)" : "good lovely thing number \($0)" }
        let project = try LoopProject(items: texts) { config in
            config.queue.rerankEvery = 1
            config.llm.prefetchAhead = 1
        }
        for itemId in project.itemIds {
            try project.store.savePrediction(Prediction(itemId: itemId, model: "scripted-model", label: "positive",
                                                        probabilities: ["positive": 0.7, "negative": 0.1, "neutral": 0.1, "mixed": 0.1]))
        }
        let loop = try project.loop(ScriptedScorer(), clock: TestClock())
        defer { loop.stop() }
        let screen = LabelingLoopTests.Screenful(loop)
        loop.startBackground()
        let learning = try #require(loop.learning)
        for _ in 0..<40 {
            #expect(learning.waitUntilIdle(timeout: 20))
            screen.pump(timeout: 0.05) { false }
            let item = try #require(screen.current)
            screen.press(.character(item.item.text.hasPrefix("bad") ? "2" : "1"))
        }
        #expect(learning.waitUntilIdle(timeout: 20))
        let calibration = try ModelCalibration.load(store: project.store, model: "scripted-model")
        let combiner = try #require(calibration.combiner)
        #expect(combiner.source != .llm)
        #expect(combiner.outcomesUsed >= 30)

        // Every open item's stored pre-label now follows the learner, which knows the words.
        let open = try project.store.openItemIds(limit: 100)
        let predictions = try project.store.latestPredictions(itemIds: open)
        let items = try project.store.items(ids: open)
        #expect(!items.isEmpty)
        for item in items {
            let prediction = try #require(predictions[item.id])
            #expect(prediction.shownLabel == (item.text.hasPrefix("bad") ? "negative" : "positive"))
            #expect(prediction.shownSource == combiner.source)
        }
        // Where the sources disagree the LLM's opinion is offered, and `o` takes it. (The item on
        // screen keeps the pre-label it came with; the ones claimed after the pass show the new one.)
        for _ in 0..<4 where screen.current?.prediction?.alternative == nil {
            let item = try #require(screen.current)
            screen.press(.character(item.item.text.hasPrefix("bad") ? "2" : "1"))
            #expect(learning.waitUntilIdle(timeout: 20))
            screen.pump(timeout: 0.05) { false }
        }
        let disputed = try #require(screen.current)
        try #require(disputed.prediction?.alternative != nil)
        #expect(disputed.prediction?.alternative == PrelabelOpinion(label: "positive", confidence: disputed.prediction!.alternative!.confidence, source: .llm))
        #expect(screen.screen.text.contains("· o: LLM says positive"))
        screen.press(.character("o"))
        let decided = try project.store.decisions(itemId: disputed.item.id)
        #expect(decided.map(\.label) == ["positive"])
        #expect(decided.map(\.kind) == [.correct])
    }
}
