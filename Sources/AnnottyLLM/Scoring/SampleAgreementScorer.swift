import AnnottyCore

/// Confidence as agreement over k sampled answers: each label's probability is its share of the
/// valid answers. Costs k requests per item; for servers that give neither log-probabilities
/// nor a trustworthy stated confidence.
public struct SampleAgreementScorer: LabelScorer {
    public let client: OpenAICompatibleClient
    public let model: String
    public let samples: Int
    /// Sampling needs randomness: a configured temperature of 0 becomes 1.
    public let temperature: Double
    let schemaSupport = SchemaSupport()

    public init(client: OpenAICompatibleClient, model: String, samples: Int, temperature: Double) {
        self.client = client
        self.model = model
        self.samples = max(1, samples)
        self.temperature = temperature > 0 ? temperature : 1
    }

    public var signature: String { "samples k=\(samples) t=\(temperature)" }
    public var answerFormat: PromptBuilder.AnswerFormat { .label }

    public func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore {
        var votes: [String: Int] = [:]
        var valid = 0
        var usage = TokenUsage()
        var answers: [String] = []
        var lastFailure: String?
        let parser = AnswerParser(labels: labels)
        for sample in 0..<samples {
            let request = ChatRequest(model: model, messages: prompt.messages, temperature: temperature,
                                      maxTokens: AnswerSchema.maxTokens(labels: labels),
                                      responseFormat: .jsonSchema(name: "label_answer",
                                                                  schema: AnswerSchema.make(labels: labels, withConfidence: false)),
                                      seed: sample + 1)
            let response = try client.chatWithSchemaFallback(request, support: schemaSupport, context: context)
            usage = usage + response.usage
            answers.append(client.redact(response.content))
            switch parser.parse(response.content) {
            case .success(let answer):
                votes[answer.label, default: 0] += 1
                valid += 1
            case .failure(let failure):
                lastFailure = failure.description
            }
        }
        let raw = answers.joined(separator: "\n")
        guard valid > 0 else {
            return .invalid(client.redact(lastFailure ?? "no valid answer"), rawAnswer: raw, usage: usage)
        }
        var probabilities: [String: Double] = [:]
        for name in labels.names { probabilities[name] = Double(votes[name] ?? 0) / Double(valid) }
        return .from(probabilities: probabilities, labels: labels, rawAnswer: raw, usage: usage)
    }
}
