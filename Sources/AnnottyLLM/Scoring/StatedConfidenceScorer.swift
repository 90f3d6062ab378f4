import AnnottyCore

/// Confidence the model states in its answer, `{"label": ..., "confidence": 0.8}`, for servers
/// without log-probabilities. The stated confidence goes to the label and the rest is spread
/// evenly over the other labels (the model said nothing about them).
public struct StatedConfidenceScorer: LabelScorer {
    public let client: OpenAICompatibleClient
    public let model: String
    public let temperature: Double
    let schemaSupport = SchemaSupport()

    public init(client: OpenAICompatibleClient, model: String, temperature: Double = 0) {
        self.client = client
        self.model = model
        self.temperature = temperature
    }

    public var signature: String { "stated t=\(temperature)" }
    public var answerFormat: PromptBuilder.AnswerFormat { .labelWithConfidence }

    public func request(_ prompt: Prompt, labels: LabelSet) -> ChatRequest {
        ChatRequest(model: model, messages: prompt.messages, temperature: temperature,
                    maxTokens: AnswerSchema.maxTokens(labels: labels),
                    responseFormat: .jsonSchema(name: "label_answer", schema: AnswerSchema.make(labels: labels, withConfidence: true)))
    }

    public func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore {
        let response = try client.chatWithSchemaFallback(request(prompt, labels: labels), support: schemaSupport, context: context)
        return StatedConfidenceScorer.interpret(response, labels: labels, redact: client.redact)
    }

    public static func interpret(_ response: ChatResponse, labels: LabelSet, redact: (String) -> String = { $0 }) -> LabelScore {
        let raw = redact(response.content)
        switch AnswerParser(labels: labels).parse(response.content) {
        case .failure(let failure):
            return .invalid(redact(failure.description), rawAnswer: raw, usage: response.usage)
        case .success(let answer):
            guard let confidence = answer.statedConfidence else {
                return .invalid("the answer states no confidence", rawAnswer: raw, usage: response.usage)
            }
            return LabelScore(label: answer.label, probabilities: spread(confidence, on: answer.label, labels: labels),
                              rawAnswer: raw, usage: response.usage)
        }
    }

    static func spread(_ confidence: Double, on label: String, labels: LabelSet) -> [String: Double] {
        let others = Double(labels.count - 1)
        var probabilities: [String: Double] = [:]
        for name in labels.names {
            probabilities[name] = name == label ? (others == 0 ? 1 : confidence) : (1 - confidence) / others
        }
        return probabilities
    }
}
