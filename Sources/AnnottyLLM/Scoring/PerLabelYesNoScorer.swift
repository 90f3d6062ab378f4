import AnnottyCore
import Foundation

/// Multi-label confidence from log-probabilities: for each label, one short yes/no question
/// ("Does the label "joy" apply to this item? Answer yes or no.") after the item's prompt, and the label's
/// probability of being in the set is p(yes) / (p(yes) + p(no)) at the answer word
/// (`YesNoProbability`). The set is the labels at 0.5 or more.
///
/// Why a question per label rather than the log-probabilities of one generated JSON list: each
/// label's probability is then a binary question on its own, which per-label calibration can
/// fix label by label, and it does not depend on which labels the model happened to write
/// first (the probability of a list's later tokens is conditioned on its earlier ones). The
/// cost is one call per label, but the calls for one item share everything up to the question,
/// so a server that caches prompt prefixes (llama.cpp with `cache_prompt`, as used here)
/// evaluates the guidelines, demonstrations and item once and each further label's ~25 tokens.
///
/// Two ways to ask, as for single-label items: `completionProbe` for llama.cpp (the local
/// model: the chat template rendered by the server, the answer started as `{"answer": "`, and
/// one `/completion` step with the top K next tokens), and `chatLogprobs` for any
/// OpenAI-compatible endpoint (a chat completion restricted to yes/no by a JSON schema, with
/// `logprobs` and `top_logprobs`).
///
/// Tokens are summed over the per-label calls into the one score. A label whose answer is
/// unusable (no yes/no among the alternatives, no log-probabilities, no answer field) makes the
/// whole score invalid, naming the label and the reason; the remaining labels are not asked.
public struct PerLabelYesNoScorer: LabelScorer {
    public enum Method: Sendable, Equatable {
        case completionProbe(topK: Int)
        case chatLogprobs(model: String, temperature: Double, topLogprobs: Int)
    }

    public let client: OpenAICompatibleClient
    public let method: Method
    let schemaSupport = SchemaSupport()

    public init(client: OpenAICompatibleClient, method: Method) {
        self.client = client
        self.method = method
    }

    /// Includes the question's wording: the prompt hash covers the messages before it, so a
    /// reworded question must not reuse answers to the old one.
    public var signature: String {
        let question = "yes-no per label [" + LabelQuestion.yesNo(label: "LABEL") + "] "
        switch method {
        case .completionProbe(let topK): return question + "completion-probe k=\(topK)"
        case .chatLogprobs(_, let temperature, let topLogprobs): return question + "chat-logprobs top=\(topLogprobs) t=\(temperature)"
        }
    }

    public var answerFormat: PromptBuilder.AnswerFormat { .labelSet }

    /// What one label's question came back with.
    struct LabelAnswer {
        var alternatives: [TokenAlternative]?
        /// Why there are no alternatives to read, when there are none.
        var problem: String?
        /// The model's answer (the top next token, or the chat reply), redacted.
        var raw: String
        var usage: TokenUsage
    }

    public func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore {
        var usage = TokenUsage()
        var probabilities: [String: Double] = [:]
        var answers: [String] = []
        for name in labels.names {
            let messages = LabelQuestion.appending(LabelQuestion.yesNo(label: name), to: prompt.messages)
            let answer = try ask(messages, context: context)
            usage = usage + answer.usage
            let quoted = JSONValue.string(name).serialized
            guard let alternatives = answer.alternatives else {
                answers.append("\(quoted): \(answer.raw)")
                return .invalid("label \(quoted): " + (answer.problem ?? "no answer"),
                                rawAnswer: answers.joined(separator: "\n"), usage: usage)
            }
            guard let probability = YesNoProbability.inProbability(alternatives) else {
                answers.append("\(quoted): \(answer.raw)")
                let top = alternatives.sorted { $0.logprob > $1.logprob }.prefix(3)
                    .map { JSONValue.string(client.redact($0.token)).serialized }.joined(separator: ", ")
                return .invalid("label \(quoted): neither yes nor no among the model's next-token alternatives (top: \(top))",
                                rawAnswer: answers.joined(separator: "\n"), usage: usage)
            }
            probabilities[name] = probability
            answers.append("\(quoted): \(answer.raw) p(in)=\(String(format: "%.3f", probability))")
        }
        let set = MultiLabelAnswer.predicted(inProbabilities: labels.names.map { probabilities[$0] ?? 0 }, labels: labels)
        return LabelScore(label: set.encoded, probabilities: probabilities, rawAnswer: answers.joined(separator: "\n"), usage: usage)
    }

    func ask(_ messages: [ChatMessage], context: ScoringContext) throws(LLMError) -> LabelAnswer {
        switch method {
        case .completionProbe(let topK): return try probe(messages, topK: topK, context: context)
        case .chatLogprobs(let model, let temperature, let topLogprobs):
            return try chat(messages, model: model, temperature: temperature, topLogprobs: topLogprobs, context: context)
        }
    }

    func probe(_ messages: [ChatMessage], topK: Int, context: ScoringContext) throws(LLMError) -> LabelAnswer {
        let root = client.endpoint.serverRoot
        let templated = try client.postJSON(url: root + "/apply-template", body: .object([("messages", .array(messages.map(\.json)))]),
                                            cancellation: context.cancellation, onRetry: context.onRetry)
        guard let rendered = templated["prompt"]?.stringValue else { throw .invalidResponse("/apply-template gave no prompt") }
        let body: JSONValue = .object([
            ("prompt", .string(rendered + LabelQuestion.answerOpening)),
            ("n_predict", .int(1)),
            ("n_probs", .int(topK)),
            ("temperature", .int(0)),
            ("cache_prompt", .bool(true)),
        ])
        let answer = try client.postJSON(url: root + "/completion", body: body,
                                         cancellation: context.cancellation, onRetry: context.onRetry)
        let (alternatives, usage) = try CompletionProbeScorer.parseProbe(answer)
        let top = alternatives.max(by: { $0.logprob < $1.logprob })?.token ?? ""
        return LabelAnswer(alternatives: alternatives, raw: client.redact(top), usage: usage)
    }

    func chat(_ messages: [ChatMessage], model: String, temperature: Double, topLogprobs: Int,
              context: ScoringContext) throws(LLMError) -> LabelAnswer {
        let request = ChatRequest(model: model, messages: messages, temperature: temperature, maxTokens: 12,
                                  responseFormat: .jsonSchema(name: "yes_no_answer", schema: PerLabelYesNoScorer.schema),
                                  logprobs: true, topLogprobs: topLogprobs)
        let response = try client.chatWithSchemaFallback(request, support: schemaSupport, context: context)
        let raw = client.redact(response.content)
        guard let tokens = response.tokens, !tokens.isEmpty else {
            return LabelAnswer(problem: "the server returned no token log-probabilities (set confidence = \"samples\")",
                               raw: raw, usage: response.usage)
        }
        if let alternatives = LabelDistribution.valueAlternatives(tokens, key: "answer") {
            return LabelAnswer(alternatives: alternatives, raw: raw, usage: response.usage)
        }
        // A server that refused the schema may get a bare word: its first token is the answer.
        if let first = tokens.first(where: { !$0.token.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }),
           YesNoProbability.word(first.token) != nil {
            var alternatives = first.alternatives
            if !alternatives.contains(where: { $0.token == first.token }) {
                alternatives.append(TokenAlternative(token: first.token, logprob: first.logprob))
            }
            return LabelAnswer(alternatives: alternatives, raw: raw, usage: response.usage)
        }
        let excerpt = JSONValue.string(String(raw.prefix(60))).serialized
        return LabelAnswer(problem: "neither {\"answer\": ...} nor a bare yes or no in the reply \(excerpt)", raw: raw, usage: response.usage)
    }

    /// `{"answer": "yes" | "no"}`.
    static let schema: JSONValue = .object([
        ("type", .string("object")),
        ("properties", .object([("answer", .object([("type", .string("string")), ("enum", .array([.string("yes"), .string("no")]))]))])),
        ("required", .array([.string("answer")])),
        ("additionalProperties", .bool(false)),
    ])
}
