import AnnottyCore
import Foundation

/// Answers from a model's recorded probabilities instead of calling it: the replay of the
/// labeling loop runs the real prompt, predictor and store with a model that answers as a real
/// one did when it was recorded (`../shared/datasets/recorded/`).
public struct RecordedScorer: LabelScorer {
    /// Probabilities per item, keyed by the item's text as the prompt fences it.
    private let answers: [String: [String: Double]]
    /// Tokens counted per call, so that cost per tier reads as it would for a real run.
    private let usage: TokenUsage
    public let signature: String

    public init(name: String, answersByText: [String: [String: Double]], usage: TokenUsage = TokenUsage(promptTokens: 300, completionTokens: 5)) {
        answers = answersByText
        self.usage = usage
        signature = "recorded:" + name
    }

    public var answerFormat: PromptBuilder.AnswerFormat { .label }

    public func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore {
        let block = prompt.messages.last?.content ?? ""
        guard let text = Self.fencedText(block), let probabilities = answers[text] else {
            return .invalid("no recorded answer for this item", rawAnswer: nil, usage: usage)
        }
        return .from(probabilities: probabilities, labels: labels, rawAnswer: nil, usage: usage)
    }

    /// The text between the item fences (`PromptBuilder.itemBlock` without fields).
    static func fencedText(_ block: String) -> String? {
        guard block.hasPrefix("<item>\n"), block.hasSuffix("\n</item>") else { return nil }
        return String(block.dropFirst("<item>\n".count).dropLast("\n</item>".count))
    }
}
