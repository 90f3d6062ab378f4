import AnnottyCore

/// Multi-label confidence as agreement over k sampled lists (`confidence = "samples"`): the
/// model is asked k times which labels apply (`{"labels": [...]}`), and each label's
/// probability of being in the set is the share of the valid lists that name it. For servers
/// without log-probabilities; costs k requests per item, and with k = 5 the probabilities move in
/// steps of 0.2 (per-label calibration spreads them out once people have verified answers).
///
/// A list naming a label outside the set, or not a list, is an invalid sample; the score is
/// invalid only when no sample is valid.
public struct SampledLabelSetScorer: LabelScorer {
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

    public var signature: String { "sampled label sets [\(LabelQuestion.whichLabels)] k=\(samples) t=\(temperature)" }
    public var answerFormat: PromptBuilder.AnswerFormat { .labelSet }

    public func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore {
        let messages = LabelQuestion.appending(LabelQuestion.whichLabels, to: prompt.messages)
        var votes: [String: Int] = [:]
        var valid = 0
        var usage = TokenUsage()
        var answers: [String] = []
        var lastFailure: String?
        for sample in 0..<samples {
            let request = ChatRequest(model: model, messages: messages, temperature: temperature,
                                      maxTokens: SampledLabelSetScorer.maxTokens(labels: labels),
                                      responseFormat: .jsonSchema(name: "label_set_answer", schema: SampledLabelSetScorer.schema(labels: labels)),
                                      seed: sample + 1)
            let response = try client.chatWithSchemaFallback(request, support: schemaSupport, context: context)
            usage = usage + response.usage
            answers.append(client.redact(response.content))
            switch SampledLabelSetScorer.parse(response.content, labels: labels) {
            case .success(let set):
                for name in set.names { votes[name, default: 0] += 1 }
                valid += 1
            case .failure(let failure):
                lastFailure = failure.message
            }
        }
        let raw = answers.joined(separator: "\n")
        guard valid > 0 else {
            return .invalid(client.redact("no valid list in \(samples) samples; the last: " + (lastFailure ?? "no answer")),
                            rawAnswer: raw, usage: usage)
        }
        var probabilities: [String: Double] = [:]
        for name in labels.names { probabilities[name] = Double(votes[name] ?? 0) / Double(valid) }
        let set = MultiLabelAnswer.predicted(inProbabilities: labels.names.map { probabilities[$0] ?? 0 }, labels: labels)
        return LabelScore(label: set.encoded, probabilities: probabilities, rawAnswer: raw, usage: usage)
    }

    struct ParseFailure: Error, Equatable {
        var message: String
    }

    /// A reply's set: `{"labels": [...]}` (also inside prose or code fences) or a bare JSON
    /// list. Case-only differences from a label's spelling are accepted when unambiguous; any
    /// other name outside the set makes the reply invalid, never coerced.
    static func parse(_ raw: String, labels: LabelSet) -> Result<MultiLabelAnswer, ParseFailure> {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .failure(ParseFailure(message: "empty answer")) }
        var list: [JSONValue]?
        if let object = AnswerParser.firstJSONObject(in: text) {
            list = (object["labels"] ?? object["Labels"] ?? object["label"])?.arrayValue
        }
        if list == nil, let open = text.firstIndex(of: "["), let close = text.lastIndex(of: "]"), open < close,
           let value = try? JSONParser.parse(String(text[open...close])) {
            list = value.arrayValue
        }
        guard let list else {
            return .failure(ParseFailure(message: "no list of labels in the answer: " + JSONValue.string(String(text.prefix(60))).serialized))
        }
        let parser = AnswerParser(labels: labels)
        var names: [String] = []
        for element in list {
            guard let name = element.stringValue?.trimmingCharacters(in: .whitespaces) else {
                return .failure(ParseFailure(message: "a list element is not a label name: " + String(element.serialized.prefix(60))))
            }
            guard let known = parser.canonical(name) else {
                return .failure(ParseFailure(message: "label \(JSONValue.string(String(name.prefix(60))).serialized) is not in the label set"))
            }
            names.append(known)
        }
        return .success(MultiLabelAnswer(names, labels: labels))
    }

    /// `{"labels": [...]}` with names from the set, each at most once.
    static func schema(labels: LabelSet) -> JSONValue {
        .object([
            ("type", .string("object")),
            ("properties", .object([("labels", .object([
                ("type", .string("array")),
                ("items", .object([("type", .string("string")), ("enum", .array(labels.names.map { .string($0) }))])),
                ("uniqueItems", .bool(true)),
                // llama.cpp's grammar does not enforce uniqueItems; this bounds a model that repeats a name.
                ("maxItems", .int(labels.count)),
            ]))])),
            ("required", .array([.string("labels")])),
            ("additionalProperties", .bool(false)),
        ])
    }

    /// Room for every label once, quoted and separated, and the JSON around them.
    static func maxTokens(labels: LabelSet) -> Int {
        16 + labels.names.reduce(0) { $0 + $1.utf8.count + 4 }
    }
}
