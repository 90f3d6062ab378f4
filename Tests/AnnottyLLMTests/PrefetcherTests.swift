import AnnottyCore
import Foundation
import Testing
@testable import AnnottyLLM

/// Answers after a delay and records the order in which items were asked.
final class RecordingScorer: LabelScorer, @unchecked Sendable {
    private let lock = NSLock()
    private var order: [String] = []
    let delay: Double
    let invalidTexts: Set<String>
    init(delay: Double, invalidTexts: Set<String> = []) {
        self.delay = delay
        self.invalidTexts = invalidTexts
    }
    var signature: String { "recording" }
    var answerFormat: PromptBuilder.AnswerFormat { .label }
    var asked: [String] { lock.lock(); defer { lock.unlock() }; return order }

    func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore {
        let block = prompt.messages.last?.content ?? ""
        let text = block.replacingOccurrences(of: "<item>\n", with: "").replacingOccurrences(of: "\n</item>", with: "")
        lock.lock(); order.append(text); lock.unlock()
        if let cancellation = context.cancellation {
            if !cancellation.sleep(seconds: delay) { throw .cancelled }
        } else {
            Thread.sleep(forTimeInterval: delay)
        }
        if invalidTexts.contains(text) { return .invalid("label \"meh\" is not in the label set", rawAnswer: "meh", usage: TokenUsage()) }
        return .from(probabilities: ["positive": 0.6, "negative": 0.2, "neutral": 0.1, "mixed": 0.1], labels: labels,
                     rawAnswer: "{}", usage: TokenUsage(promptTokens: 10, completionTokens: 1))
    }
}

final class PredictionLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Int64] = []
    func add(_ prediction: Prediction) { lock.lock(); items.append(prediction.itemId); lock.unlock() }
    var itemIds: [Int64] { lock.lock(); defer { lock.unlock() }; return items }
}

@Suite(.serialized) struct PrefetcherTests {
    func make(_ project: TestProject, scorer: RecordingScorer, concurrency: Int = 1, ahead: Int = 3) -> (Prefetcher, LLMSession) {
        var settings = project.settings(provider: .openai, baseURL: "http://127.0.0.1:9/v1")
        settings.demonstrations = 0
        settings.maxConcurrency = concurrency
        settings.prefetchAhead = ahead
        let session = LLMSession(settings: settings, labels: project.labels, guidelines: project.guidelines, store: project.store,
                                 environment: [:], scorerFactory: { _, _ in scorer })
        return (Prefetcher(session: session, store: project.store), session)
    }

    func waitUntil(_ limit: Double = 10, _ condition: () -> Bool) {
        let deadline = Date(timeIntervalSinceNow: limit)
        while !condition() && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    }

    static let texts = (1...8).map { "item-\($0)" }

    @Test func predictsInTheOrderTheScreenGivesThenTheQueue() throws {
        let project = try TestProject(items: PrefetcherTests.texts)
        let scorer = RecordingScorer(delay: 0.02)
        let (prefetcher, session) = make(project, scorer: scorer, ahead: 4)
        defer { prefetcher.stop(); session.stop() }
        let ids = project.itemIds
        prefetcher.setUpcoming([ids[5], ids[2]])
        prefetcher.start()
        waitUntil { scorer.asked.count >= 4 }
        // The two the UI named first, then the queue's head.
        #expect(Array(scorer.asked.prefix(4)) == ["item-6", "item-3", "item-1", "item-2"])
    }

    @Test func anItemMovedToTheFrontGoesNext() throws {
        let project = try TestProject(items: PrefetcherTests.texts)
        let scorer = RecordingScorer(delay: 0.3)
        let (prefetcher, session) = make(project, scorer: scorer, ahead: 8)
        defer { prefetcher.stop(); session.stop() }
        let ids = project.itemIds
        prefetcher.setUpcoming(Array(ids.prefix(4)))
        prefetcher.start()
        waitUntil { scorer.asked.count >= 1 }
        // While item-1 is in flight the selector re-ranks: item-8 is now first in line.
        prefetcher.setUpcoming([ids[0], ids[7], ids[1]])
        waitUntil { scorer.asked.count >= 3 }
        #expect(Array(scorer.asked.prefix(3)) == ["item-1", "item-8", "item-2"])
    }

    @Test func predictionsAreSavedAndDeliveredButInvalidAnswersAreNot() throws {
        let project = try TestProject(items: PrefetcherTests.texts)
        let scorer = RecordingScorer(delay: 0.01, invalidTexts: ["item-2"])
        let (prefetcher, session) = make(project, scorer: scorer, concurrency: 2, ahead: 3)
        defer { prefetcher.stop(); session.stop() }
        let log = PredictionLog()
        prefetcher.onPrediction = { log.add($0) }
        let ids = project.itemIds
        // The invalid one is on screen: the status keeps saying why it has no pre-label.
        prefetcher.setUpcoming([ids[1], ids[0], ids[2]])
        prefetcher.start()
        waitUntil { Set(log.itemIds).count == 2 && scorer.asked.count == 3 }
        Thread.sleep(forTimeInterval: 0.05)
        #expect(Set(log.itemIds) == [ids[0], ids[2]])
        let stored = try project.store.latestPredictions(itemIds: Array(ids.prefix(3)))
        #expect(stored[ids[0]]?.label == "positive")
        #expect(stored[ids[1]]?.isValid == false)
        #expect(prefetcher.status.reason == "item \(ids[1]): invalid answer: label \"meh\" is not in the label set")
    }

    @Test func itemsAlreadyPredictedAreNotAskedAgain() throws {
        let project = try TestProject(items: PrefetcherTests.texts)
        let scorer = RecordingScorer(delay: 0.01)
        let ids = project.itemIds
        try project.store.savePrediction(Prediction(itemId: ids[0], model: "test-model", label: "negative",
                                                    probabilities: ["positive": 0.1, "negative": 0.9], promptHash: "x"))
        let (prefetcher, session) = make(project, scorer: scorer, ahead: 2)
        defer { prefetcher.stop(); session.stop() }
        let log = PredictionLog()
        prefetcher.onPrediction = { log.add($0) }
        prefetcher.setUpcoming([ids[0], ids[1]])
        prefetcher.start()
        waitUntil { scorer.asked.count >= 1 && log.itemIds.count >= 2 }
        #expect(scorer.asked == ["item-2"])
        #expect(log.itemIds.contains(ids[0]))
    }

    @Test func setUpcomingNeverWaitsForTheNetwork() throws {
        let project = try TestProject(items: PrefetcherTests.texts)
        let scorer = RecordingScorer(delay: 5)
        let (prefetcher, session) = make(project, scorer: scorer, concurrency: 2)
        defer { prefetcher.stop(); session.stop() }
        let ids = project.itemIds
        prefetcher.start()
        prefetcher.setUpcoming(ids)
        waitUntil { scorer.asked.count >= 2 }
        var slowest = 0.0
        for round in 0..<50 {
            let started = DispatchTime.now()
            prefetcher.setUpcoming(Array(ids.dropFirst(round % 8)))
            _ = prefetcher.status
            slowest = max(slowest, Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
        }
        // Both requests are still in flight (5 s each) while the UI calls return at once.
        #expect(scorer.asked.count == 2)
        #expect(slowest < 0.05)
    }

    @Test func lookAheadGrowsForAFastAnnotatorAndShrinksForASlowOne() throws {
        let project = try TestProject(items: (1...80).map { "item-\($0)" })
        let scorer = RecordingScorer(delay: 0.2)
        let (prefetcher, session) = make(project, scorer: scorer, concurrency: 2, ahead: 4)
        defer { prefetcher.stop(); session.stop() }
        let ids = project.itemIds
        prefetcher.start()
        // A fast annotator: a new item every 20 ms against 200 ms requests.
        for index in 0..<15 {
            prefetcher.setUpcoming(Array(ids[index...].prefix(3)))
            Thread.sleep(forTimeInterval: 0.02)
        }
        waitUntil(3) { prefetcher.currentAhead > 4 }
        #expect(prefetcher.currentAhead >= 10)
        // A slow annotator: a new item every 600 ms.
        for index in 15..<22 {
            prefetcher.setUpcoming(Array(ids[index...].prefix(3)))
            Thread.sleep(forTimeInterval: 0.6)
        }
        #expect(prefetcher.currentAhead <= 3)
    }
}
