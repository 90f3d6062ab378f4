import AnnottyCore
import Foundation

/// Label probabilities read straight from the next-token distribution, for llama.cpp servers
/// (the local model). The chat messages are rendered with the server's own chat template
/// (`POST /apply-template`), the answer is started for the model, `{"label": "`, and
/// `POST /completion` with `n_predict: 1, n_probs: K` returns the top K next tokens with their
/// log-probabilities. Labels whose first tokens are shared are resolved by one more probe per
/// shared branch, with the branch's text appended (see `LabelDistribution`).
///
/// Why this rather than chat completions with logprobs (`ChatLogprobScorer`), measured on the
/// bundled SmolLM2-135M: one forward step instead of a whole generated JSON object (about half
/// the latency), the distribution at the label's first token without having to find it in the
/// generated text, K up to the vocabulary (K = 100 costs a few milliseconds more than 20), and
/// the exact split of shared first tokens by probing each branch, which a single chat answer
/// can only give for the branch it went down.
public struct CompletionProbeScorer: LabelScorer {
    public let client: OpenAICompatibleClient
    public let topK: Int
    /// The most extra probes per item for shared first tokens.
    public let expansionBudget: Int
    /// What the model is given to continue: the opening of the JSON answer up to the label.
    public static let answerOpening = "{\"label\": \""

    public init(client: OpenAICompatibleClient, topK: Int = 100, expansionBudget: Int = 6) {
        self.client = client
        self.topK = topK
        self.expansionBudget = expansionBudget
    }

    public var signature: String { "completion-probe k=\(topK)" }
    public var answerFormat: PromptBuilder.AnswerFormat { .label }

    public func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore {
        let root = client.endpoint.serverRoot
        let templated = try client.postJSON(url: root + "/apply-template",
                                            body: .object([("messages", .array(prompt.messages.map(\.json)))]),
                                            cancellation: context.cancellation, onRetry: context.onRetry)
        guard let rendered = templated["prompt"]?.stringValue else {
            throw .invalidResponse("/apply-template gave no prompt")
        }
        let base = rendered + CompletionProbeScorer.answerOpening
        var usage = TokenUsage()
        var firstProbe: [TokenAlternative]?
        var probeError: LLMError?

        func probe(_ labelPrefix: String) -> [TokenAlternative]? {
            guard probeError == nil else { return nil }
            do {
                let answer = try client.postJSON(url: root + "/completion", body: probeBody(base + labelPrefix),
                                                 cancellation: context.cancellation, onRetry: context.onRetry)
                let (alternatives, probeUsage) = try CompletionProbeScorer.parseProbe(answer)
                usage = usage + probeUsage
                return alternatives
            } catch {
                probeError = error
                return nil
            }
        }

        firstProbe = probe("")
        let first = firstProbe
        let probabilities = LabelDistribution.compute(labels: labels.names, alternatives: { prefix in
            prefix.isEmpty ? first : probe(prefix)
        }, expansionBudget: expansionBudget)
        if let probeError { throw probeError }
        guard let probabilities, let first else { throw .invalidResponse("no token probabilities in the answer") }
        let top = first.max(by: { $0.logprob < $1.logprob })?.token
        return .from(probabilities: probabilities, labels: labels, rawAnswer: top.map { client.redact($0) }, usage: usage)
    }

    func probeBody(_ prompt: String) -> JSONValue {
        .object([
            ("prompt", .string(prompt)),
            ("n_predict", .int(1)),
            ("n_probs", .int(topK)),
            ("temperature", .int(0)),
            ("cache_prompt", .bool(true)),
        ])
    }

    /// The next-token alternatives of a `/completion` answer, and its token counts.
    static func parseProbe(_ answer: JSONValue) throws(LLMError) -> ([TokenAlternative], TokenUsage) {
        guard let step = answer["completion_probabilities"]?[0] else {
            throw .invalidResponse("no completion_probabilities in the answer")
        }
        // Newer llama.cpp: top_logprobs with logprob; older: probs with prob.
        var alternatives: [TokenAlternative] = []
        if let entries = step["top_logprobs"]?.arrayValue {
            alternatives = entries.compactMap { entry in
                guard let token = entry["token"]?.stringValue, let logprob = entry["logprob"]?.numberValue else { return nil }
                return TokenAlternative(token: token, logprob: logprob)
            }
        } else if let entries = step["probs"]?.arrayValue {
            alternatives = entries.compactMap { entry in
                guard let token = entry["tok_str"]?.stringValue, let probability = entry["prob"]?.numberValue else { return nil }
                return TokenAlternative(token: token, logprob: log(probability))
            }
        }
        guard !alternatives.isEmpty else { throw .invalidResponse("no token probabilities in the answer") }
        let usage = TokenUsage(promptTokens: answer["tokens_evaluated"]?.intValue ?? 0,
                               completionTokens: answer["tokens_predicted"]?.intValue ?? 1)
        return (alternatives, usage)
    }
}
