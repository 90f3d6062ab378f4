import AnnottyCore

/// Confidence from token log-probabilities over the chat-completions API: one request with the
/// answer restricted to the label set by a JSON schema, `logprobs` and `top_logprobs` on; the
/// alternatives at the label's token positions become label probabilities (`LabelDistribution`).
///
/// Servers report the alternatives before the schema's grammar constrains them (observed on
/// llama.cpp), so tokens outside the label set appear among them; they are dropped and the
/// rest renormalised. The scorer for any OpenAI-compatible endpoint.
public struct ChatLogprobScorer: LabelScorer {
    public let client: OpenAICompatibleClient
    public let model: String
    public let temperature: Double
    /// OpenAI allows at most 20.
    public let topLogprobs: Int
    let schemaSupport = SchemaSupport()

    public init(client: OpenAICompatibleClient, model: String, temperature: Double = 0, topLogprobs: Int = 20) {
        self.client = client
        self.model = model
        self.temperature = temperature
        self.topLogprobs = topLogprobs
    }

    public var signature: String { "chat-logprobs top=\(topLogprobs) t=\(temperature)" }
    public var answerFormat: PromptBuilder.AnswerFormat { .label }

    public func request(_ prompt: Prompt, labels: LabelSet) -> ChatRequest {
        ChatRequest(model: model, messages: prompt.messages, temperature: temperature,
                    maxTokens: AnswerSchema.maxTokens(labels: labels),
                    responseFormat: .jsonSchema(name: "label_answer", schema: AnswerSchema.make(labels: labels, withConfidence: false)),
                    logprobs: true, topLogprobs: topLogprobs)
    }

    public func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore {
        let response = try client.chatWithSchemaFallback(request(prompt, labels: labels), support: schemaSupport, context: context)
        return ChatLogprobScorer.interpret(response, labels: labels, redact: client.redact)
    }

    /// A chat answer with log-probabilities as a label score. Also used for Batch API results.
    public static func interpret(_ response: ChatResponse, labels: LabelSet,
                                 redact: (String) -> String = { $0 }) -> LabelScore {
        let raw = redact(response.content)
        switch AnswerParser(labels: labels).parse(response.content) {
        case .failure(let failure):
            return .invalid(redact(failure.description), rawAnswer: raw, usage: response.usage)
        case .success:
            guard let tokens = response.tokens, !tokens.isEmpty,
                  let probabilities = LabelDistribution.fromChatTokens(tokens, labels: labels.names) else {
                return .invalid("the server returned no token log-probabilities (set confidence = \"stated\" or \"samples\")",
                                rawAnswer: raw, usage: response.usage)
            }
            return .from(probabilities: probabilities, labels: labels, rawAnswer: raw, usage: response.usage)
        }
    }
}
