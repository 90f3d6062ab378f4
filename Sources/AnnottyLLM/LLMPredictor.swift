import AnnottyCore
import Foundation
import Synchronization

/// What came of asking for one item's prediction.
public struct PredictionOutcome: Sendable {
    public enum Kind: String, Sendable {
        /// Served from the cache (same model, same prompt): no request, no cost.
        case cached
        /// The model answered with a label distribution.
        case answered
        /// The model answered outside the label set; recorded, never shown as a pre-label.
        case invalidAnswer
        /// The call failed (timeouts, HTTP errors after retries); recorded with its reason.
        case failed
    }

    public var kind: Kind
    /// The stored prediction (its id is set).
    public var prediction: Prediction
    public var failure: LLMError?

    /// A short reason for the status line, when the outcome is not a usable pre-label.
    public var reason: String? {
        switch kind {
        case .cached, .answered: return nil
        case .invalidAnswer: return "invalid answer: " + (prediction.error ?? "")
        case .failed: return failure?.description ?? prediction.error
        }
    }
}

/// Predicts items: builds each item's prompt (guidelines, nearest demonstrations, the item),
/// consults the cache, asks the scorer, and stores the result with its cost. Thread-safe; the
/// prefetcher and `annotty prelabel` call it from many threads at once.
public final class LLMPredictor: Sendable {
    public let store: any AnnotationStore
    public let labels: LabelSet
    public let guidelines: Guidelines
    public let model: String
    public let scorer: any LabelScorer
    public let demonstrationCount: Int
    public let demonstrationMaxCharacters: Int
    public let pricePerMillionInputTokens: Double
    public let pricePerMillionOutputTokens: Double
    public let builder: PromptBuilder
    /// Single-label: a label and a distribution; multi-label: a set and each label's
    /// probability of being in it.
    public let task: TaskKind

    /// Replaced whole when people have labelled more; read for every prompt.
    private let pool: Mutex<DemonstrationPool>

    public init(store: any AnnotationStore, labels: LabelSet, guidelines: Guidelines, settings: LLMSettings,
                scorer: any LabelScorer, taskName: String = "", task: TaskKind = .single) {
        self.store = store
        self.task = task
        self.labels = labels
        self.guidelines = guidelines
        self.model = settings.model
        self.scorer = scorer
        self.demonstrationCount = settings.demonstrations
        self.demonstrationMaxCharacters = settings.demonstrationMaxCharacters
        self.pricePerMillionInputTokens = settings.pricePerMillionInputTokens
        self.pricePerMillionOutputTokens = settings.pricePerMillionOutputTokens
        self.builder = PromptBuilder(guidelines: guidelines, labels: labels, taskName: taskName, answerFormat: scorer.answerFormat)
        self.pool = Mutex(DemonstrationPool(labelled: [], guidelineExamples: DemonstrationPool.guidelineExamples(guidelines, labels: labels,
                                                                                                                  task: task)))
    }

    /// Reloads the labelled items demonstrations come from (call after people label more).
    public func refreshDemonstrations() throws {
        let fresh = try DemonstrationPool.load(store: store, labels: labels, guidelines: guidelines, task: task)
        pool.withLock { $0 = fresh }
    }

    public var labelledDemonstrationCount: Int {
        pool.withLock { $0.labelledCount }
    }

    public func prompt(for item: Item) -> Prompt {
        let pool = self.pool.withLock { $0 }
        return builder.prompt(for: item, demonstrations: pool.select(for: item, count: demonstrationCount,
                                                                            maxCharacters: demonstrationMaxCharacters),
                              scoringSignature: scorer.signature + " labels=" + labels.names.joined(separator: "|"))
    }

    public func cost(_ usage: TokenUsage) -> Double {
        (Double(usage.promptTokens) * pricePerMillionInputTokens + Double(usage.completionTokens) * pricePerMillionOutputTokens) / 1_000_000
    }

    /// The cached prediction for this item's current prompt, if any.
    public func cachedPrediction(for item: Item) throws -> Prediction? {
        try cached(for: item, prompt: prompt(for: item))
    }

    /// Predicts one item and stores the result. Throws only when cancelled or when the store
    /// fails; a failed call is returned (and stored) as a `.failed` outcome.
    public func predict(_ item: Item, context: ScoringContext = ScoringContext()) throws -> PredictionOutcome {
        let prompt = prompt(for: item)
        if let cached = try cached(for: item, prompt: prompt) {
            return PredictionOutcome(kind: .cached, prediction: cached)
        }
        let started = DispatchTime.now()
        let result: Result<LabelScore, LLMError>
        do {
            result = .success(try scorer.score(prompt, labels: labels, context: context))
        } catch {
            result = .failure(error)
        }
        let latencyMs = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
        switch result {
        case .failure(let error) where error.isCancellation || context.cancellation?.isCancelled == true:
            // Stopping is not a failure of the model: record nothing.
            throw LLMError.cancelled
        case .failure(let error):
            let failed = Prediction(itemId: item.id, model: model, label: nil, probabilities: [:], isValid: false,
                                    error: error.description, rawAnswer: nil, promptHash: prompt.hash, latencyMs: latencyMs)
            return PredictionOutcome(kind: .failed, prediction: try store.savePrediction(failed), failure: error)
        case .success(let unchecked):
            let score = checked(unchecked)
            let prediction = Prediction(itemId: item.id, model: model, label: score.isValid ? score.label : nil,
                                        probabilities: score.probabilities, isValid: score.isValid, error: score.error,
                                        rawAnswer: score.rawAnswer, promptHash: prompt.hash, latencyMs: latencyMs,
                                        tokensIn: score.usage.promptTokens, tokensOut: score.usage.completionTokens,
                                        costUSD: cost(score.usage))
            return PredictionOutcome(kind: score.isValid ? .answered : .invalidAnswer,
                                     prediction: try store.savePrediction(prediction))
        }
    }

    /// A valid multi-label score has every label's probability of being in the set, each in
    /// [0, 1], and the set they give at the 0.5 cutoff; anything else from a scorer is invalid.
    func checked(_ score: LabelScore) -> LabelScore {
        if task == .spans, score.isValid { return checkedSpans(score) }
        guard task == .multi, score.isValid else { return score }
        for name in labels.names {
            guard let probability = score.probabilities[name], probability.isFinite, (0...1).contains(probability) else {
                return .invalid("label \(JSONValue.string(name).serialized) got no probability of being in the set",
                                rawAnswer: score.rawAnswer, usage: score.usage)
            }
        }
        let set = MultiLabelAnswer.predicted(inProbabilities: labels.names.map { score.probabilities[$0] ?? 0 }, labels: labels)
        var score = score
        score.label = set.encoded
        score.probabilities = score.probabilities.filter { labels.contains($0.key) }
        return score
    }

    /// A valid span score names a span set whose every span has a confidence in [0, 1] and is of
    /// one of the types (the scorer anchored it in the item); only those confidences are kept, so
    /// the prediction's confidence is its least sure span's.
    func checkedSpans(_ score: LabelScore) -> LabelScore {
        guard let label = score.label, let keys = SpanAnnotation.keys(inLabel: label) else {
            return .invalid("the scorer gave no span set", rawAnswer: score.rawAnswer, usage: score.usage)
        }
        var kept: [String: Double] = [:]
        for key in keys {
            guard labels.contains(key.type), let confidence = score.probabilities[key.text], confidence.isFinite,
                  (0...1).contains(confidence) else {
                return .invalid("span \(key.text) got no confidence or is not of a task type", rawAnswer: score.rawAnswer, usage: score.usage)
            }
            kept[key.text] = confidence
        }
        var score = score
        score.probabilities = kept
        return score
    }

    private func cached(for item: Item, prompt: Prompt) throws -> Prediction? {
        guard let cached = try store.cachedPrediction(model: model, promptHash: prompt.hash) else { return nil }
        if cached.itemId == item.id { return cached }
        // The same prompt for another item (identical text): reuse the answer at no cost.
        var copy = cached
        copy.id = 0
        copy.itemId = item.id
        copy.latencyMs = 0
        copy.costUSD = 0
        copy.tokensIn = 0
        copy.tokensOut = 0
        copy.createdAt = Date()
        return try store.savePrediction(copy)
    }

    /// Whether an item still needs this model's prediction: it has none, or only a failed call
    /// (an answer outside the label set is final for the same prompt and is not asked again).
    public func needsPrediction(latest: Prediction?) -> Bool {
        LLMPredictor.needsPrediction(latest: latest, model: model)
    }

    public static func needsPrediction(latest: Prediction?, model: String) -> Bool {
        guard let latest, latest.model == model, latest.source == .llm else { return true }
        return !latest.isValid && latest.rawAnswer == nil
    }
}
