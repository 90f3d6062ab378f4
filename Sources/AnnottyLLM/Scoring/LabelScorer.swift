import AnnottyCore
import Foundation
import Synchronization

/// What a scorer made of one prompt.
public struct LabelScore: Sendable, Equatable {
    /// The most probable label; nil when the answer was invalid.
    public var label: String?
    /// A probability for every label of the set, summing to 1; empty when invalid.
    public var probabilities: [String: Double]
    public var isValid: Bool
    /// Why the answer is invalid (a label outside the set, no log-probabilities).
    public var error: String?
    public var rawAnswer: String?
    public var usage: TokenUsage

    public init(label: String?, probabilities: [String: Double], isValid: Bool = true, error: String? = nil,
                rawAnswer: String? = nil, usage: TokenUsage = TokenUsage()) {
        self.label = label
        self.probabilities = probabilities
        self.isValid = isValid
        self.error = error.map { Self.capped($0) }
        self.rawAnswer = rawAnswer.map { Self.capped($0) }
        self.usage = usage
    }

    /// The most of an answer (or of a reason quoting one) kept with a prediction. A model that
    /// ignores max_tokens can send megabytes; stored whole, three such answers grew a project's
    /// database by 42 MB. A label answer is a few hundred bytes.
    public static let maxStoredAnswerBytes = 4096

    /// `text` cut to `maxStoredAnswerBytes` at a character boundary, with a mark saying how
    /// long the whole was, so a cut answer is never mistaken for the model's own words.
    public static func capped(_ text: String) -> String {
        let total = text.utf8.count
        guard total > maxStoredAnswerBytes else { return text }
        var kept = ""
        var keptBytes = 0
        for character in text {
            let size = character.utf8.count
            if keptBytes + size > maxStoredAnswerBytes { break }
            kept.append(character)
            keptBytes += size
        }
        return kept + "… [cut: \(total) bytes, the first \(keptBytes) kept]"
    }

    public static func invalid(_ reason: String, rawAnswer: String?, usage: TokenUsage) -> LabelScore {
        LabelScore(label: nil, probabilities: [:], isValid: false, error: reason, rawAnswer: rawAnswer, usage: usage)
    }

    /// A valid score whose label is the most probable one (ties go to the earlier label).
    public static func from(probabilities: [String: Double], labels: LabelSet, rawAnswer: String?, usage: TokenUsage) -> LabelScore {
        var best: String?
        var bestProbability = -1.0
        for name in labels.names where (probabilities[name] ?? 0) > bestProbability {
            best = name
            bestProbability = probabilities[name] ?? 0
        }
        return LabelScore(label: best, probabilities: probabilities, rawAnswer: rawAnswer, usage: usage)
    }
}

/// Per-call hooks: a cancellation token and a callback told about each retry.
public struct ScoringContext: Sendable {
    public var cancellation: CancellationToken?
    public var onRetry: (@Sendable (RetryNotice) -> Void)?

    public init(cancellation: CancellationToken? = nil, onRetry: (@Sendable (RetryNotice) -> Void)? = nil) {
        self.cancellation = cancellation
        self.onRetry = onRetry
    }
}

/// Asks a model for a label distribution for one prompt. Throws when the call failed (the
/// item stays unlabelled by the model); returns an invalid score when the model answered
/// outside the label set.
public protocol LabelScorer: Sendable {
    /// Describes what the scorer asks and how (method, sampling); part of the prompt hash so
    /// that a cached answer is only reused for the same question.
    var signature: String { get }
    var answerFormat: PromptBuilder.AnswerFormat { get }
    func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore
}

/// The JSON schema of an answer: a label restricted to the set by an enum.
enum AnswerSchema {
    static func make(labels: LabelSet, withConfidence: Bool) -> JSONValue {
        var properties: [(key: String, value: JSONValue)] = [
            ("label", .object([("type", .string("string")), ("enum", .array(labels.names.map { .string($0) }))])),
        ]
        var required: [JSONValue] = [.string("label")]
        if withConfidence {
            properties.append(("confidence", .object([("type", .string("number")), ("minimum", .int(0)), ("maximum", .int(1))])))
            required.append(.string("confidence"))
        }
        return .object([
            ("type", .string("object")),
            ("properties", .object(properties)),
            ("required", .array(required)),
            ("additionalProperties", .bool(false)),
        ])
    }

    /// Enough tokens for the JSON around the longest label, with room for a confidence.
    static func maxTokens(labels: LabelSet) -> Int {
        32 + (labels.names.map(\.utf8.count).max() ?? 0)
    }
}

/// Remembers that a server rejected structured output, so later requests go without it.
final class SchemaSupport: Sendable {
    private let unsupported = Mutex(false)

    var isSupported: Bool { !unsupported.withLock { $0 } }

    func markUnsupported() {
        unsupported.withLock { $0 = true }
    }

    /// A 400-class answer that names the structured-output feature.
    static func isRejection(_ error: LLMError) -> Bool {
        guard case .http(let status, let message) = error, status == 400 || status == 422 || status == 501 else { return false }
        let lower = message.lowercased()
        return lower.contains("response_format") || lower.contains("json_schema") || lower.contains("schema")
            || lower.contains("grammar")
    }
}

extension OpenAICompatibleClient {
    /// A chat completion with structured output when the server takes it, and without when it
    /// answers that it does not.
    func chatWithSchemaFallback(_ request: ChatRequest, support: SchemaSupport,
                                context: ScoringContext) throws(LLMError) -> ChatResponse {
        var request = request
        if !support.isSupported { request.responseFormat = nil }
        do {
            return try chatCompletion(request, cancellation: context.cancellation, onRetry: context.onRetry)
        } catch where request.responseFormat != nil && SchemaSupport.isRejection(error) {
            support.markUnsupported()
            request.responseFormat = nil
            return try chatCompletion(request, cancellation: context.cancellation, onRetry: context.onRetry)
        }
    }
}
