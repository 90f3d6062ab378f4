import AnnottyCore
import Foundation
import Testing
@testable import AnnottyLLM

/// A scorer that answers from a table and counts its calls.
final class CountingScorer: LabelScorer, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    let answer: LabelScore
    init(_ answer: LabelScore) { self.answer = answer }
    var signature: String { "counting" }
    var answerFormat: PromptBuilder.AnswerFormat { .label }
    var calls: Int { lock.lock(); defer { lock.unlock() }; return count }
    func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore {
        lock.lock(); count += 1; lock.unlock()
        return answer
    }
}

@Suite struct PredictorCacheTests {
    let answer = LabelScore(label: "negative", probabilities: ["positive": 0.1, "negative": 0.7, "neutral": 0.1, "mixed": 0.1],
                            rawAnswer: "{\"label\":\"negative\"}", usage: TokenUsage(promptTokens: 1_000, completionTokens: 10))

    @Test func secondRequestForTheSamePromptIsServedFromTheCacheAtNoCost() throws {
        let project = try TestProject()
        var settings = project.settings()
        settings.pricePerMillionInputTokens = 2.5
        settings.pricePerMillionOutputTokens = 10
        let scorer = CountingScorer(answer)
        let predictor = LLMPredictor(store: project.store, labels: project.labels, guidelines: project.guidelines,
                                     settings: settings, scorer: scorer)
        let item = try #require(try project.items().first)
        let first = try predictor.predict(item)
        #expect(first.kind == .answered)
        #expect(first.prediction.costUSD == 0.0026) // 1000 * 2.5e-6 + 10 * 1e-5
        #expect(first.prediction.tokensIn == 1_000)
        #expect(first.prediction.label == "negative")
        let second = try predictor.predict(item)
        #expect(second.kind == .cached)
        #expect(second.prediction.id == first.prediction.id)
        #expect(scorer.calls == 1)
        #expect(try project.store.statusCounts().predicted == 1)
    }

    @Test func anotherModelOrAnotherScorerMissesTheCache() throws {
        let project = try TestProject()
        let item = try #require(try project.items().first)
        let scorer = CountingScorer(answer)
        _ = try LLMPredictor(store: project.store, labels: project.labels, guidelines: project.guidelines,
                             settings: project.settings(model: "model-a"), scorer: scorer).predict(item)
        let other = try LLMPredictor(store: project.store, labels: project.labels, guidelines: project.guidelines,
                                     settings: project.settings(model: "model-b"), scorer: scorer).predict(item)
        #expect(other.kind == .answered)
        #expect(scorer.calls == 2)
    }

    @Test func invalidAnswersAreRecordedButNeverCachedAsPreLabels() throws {
        let project = try TestProject()
        let item = try #require(try project.items().first)
        let scorer = CountingScorer(.invalid("label \"meh\" is not in the label set", rawAnswer: "meh", usage: TokenUsage()))
        let predictor = LLMPredictor(store: project.store, labels: project.labels, guidelines: project.guidelines,
                                     settings: project.settings(), scorer: scorer)
        let outcome = try predictor.predict(item)
        #expect(outcome.kind == .invalidAnswer)
        #expect(outcome.prediction.isValid == false)
        #expect(outcome.prediction.label == nil)
        #expect(outcome.reason == "invalid answer: label \"meh\" is not in the label set")
        #expect(try project.store.statusCounts().invalidPredictions == 1)
        // Not asked again by prelabel or the prefetcher: the same prompt gets the same answer.
        #expect(predictor.needsPrediction(latest: outcome.prediction) == false)
    }
}
