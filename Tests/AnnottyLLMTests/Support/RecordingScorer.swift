import AnnottyCore
import Foundation
@testable import AnnottyLLM

/// Answers after a delay and records the order in which items were asked.
final class RecordingScorer: LabelScorer, @unchecked Sendable {
    private let lock = NSLock()
    private var order: [String] = []
    let delay: Double
    let invalidTexts: Set<String>
    /// Called with how many items have been asked so far, as each is asked: a test acts at a
    /// point of the run rather than after a time, which a loaded machine would stretch.
    let onAsk: (@Sendable (Int) -> Void)?
    init(delay: Double, invalidTexts: Set<String> = [], onAsk: (@Sendable (Int) -> Void)? = nil) {
        self.delay = delay
        self.invalidTexts = invalidTexts
        self.onAsk = onAsk
    }
    var signature: String { "recording" }
    var answerFormat: PromptBuilder.AnswerFormat { .label }
    var asked: [String] { lock.lock(); defer { lock.unlock() }; return order }

    func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore {
        let block = prompt.messages.last?.content ?? ""
        let text = block.replacingOccurrences(of: "<item>\n", with: "").replacingOccurrences(of: "\n</item>", with: "")
        lock.lock(); order.append(text); let count = order.count; lock.unlock()
        onAsk?(count)
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
