import AnnottyCore

/// Entity-span pre-labels (`task = "spans"`): the model is asked k times for the item's entities
/// (`{"entities": [{"text": "...", "type": "PER"}]}`, held to that form and to the types by a JSON
/// schema where the server takes one), and annotty places each mention in the item's own text
/// (`EntityAnchoring`): offsets a model states are never read.
///
/// Confidence is agreement over the samples: a span's is the share of all k samples that
/// proposed exactly it (offsets and type). Log-probabilities of a type token were not used: they
/// say how sure the model is of the type of a mention it wrote, not of the mention's boundaries
/// nor of a mention it left out, and a grammar-constrained server reports them before the
/// constraint; agreement over whole answers covers all three. The proposed set is the spans more
/// than half the samples proposed (they never overlap: one sample never places two mentions on
/// the same characters, and two majorities share a sample). With k = 1 it is the one answer, each
/// span at 1.0 (and so only as trustworthy as the threshold a person sets).
///
/// A sample is invalid when it is not the JSON asked for, names a type outside the labels, or has
/// a mention the item does not contain (or not as often as the sample repeats it): the model
/// invented something. Invalid samples count in the denominator (they did not support any span).
/// The answer is invalid, with the first reason recorded, when at most half the samples are valid.
public struct SampledEntityScorer: LabelScorer {
    public let client: OpenAICompatibleClient
    public let model: String
    public let samples: Int
    /// Several samples need randomness: a configured temperature of 0 becomes 1 (one sample keeps it).
    public let temperature: Double
    let schemaSupport = SchemaSupport()

    public init(client: OpenAICompatibleClient, model: String, samples: Int, temperature: Double) {
        self.client = client
        self.model = model
        self.samples = max(1, samples)
        self.temperature = self.samples > 1 && temperature <= 0 ? 1 : temperature
    }

    /// "Which entities does this item mention? …", after the item.
    public static let question = "Which entities does this item mention? Reply with only {\"entities\": [...]}."

    public var signature: String { "sampled entities [\(SampledEntityScorer.question)] k=\(samples) t=\(temperature)" }
    public var answerFormat: PromptBuilder.AnswerFormat { .entities }

    public func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore {
        let messages = LabelQuestion.appending(SampledEntityScorer.question, to: prompt.messages)
        var usage = TokenUsage()
        var answers: [String] = []
        var valid: [[EntitySpan]] = []
        var firstFailure: String?
        for sample in 0..<samples {
            let request = ChatRequest(model: model, messages: messages, temperature: temperature,
                                      maxTokens: SampledEntityScorer.maxTokens(itemText: prompt.itemText),
                                      responseFormat: .jsonSchema(name: "entities_answer", schema: SampledEntityScorer.schema(labels: labels)),
                                      seed: sample + 1)
            let response = try client.chatWithSchemaFallback(request, support: schemaSupport, context: context)
            usage = usage + response.usage
            answers.append(client.redact(response.content))
            switch SampledEntityScorer.spans(in: response.content, itemText: prompt.itemText, labels: labels) {
            case .success(let spans): valid.append(spans)
            case .failure(let failure):
                // A small model that repeats itself runs into max_tokens: say so, it is the fix to try.
                let cut = response.finishReason == "length" ? "the answer was cut at max_tokens = \(request.maxTokens) tokens: " : ""
                firstFailure = firstFailure ?? cut + failure.message
            }
        }
        return SampledEntityScorer.combine(valid, samples: samples, firstFailure: firstFailure,
                                           rawAnswer: answers.joined(separator: "\n"), usage: usage, redact: client.redact)
    }

    /// The score of k samples of which `valid` were anchored: the majority spans, each with the
    /// share of all samples that proposed it.
    static func combine(_ valid: [[EntitySpan]], samples: Int, firstFailure: String?, rawAnswer: String,
                        usage: TokenUsage, redact: (String) -> String = { $0 }) -> LabelScore {
        guard valid.count * 2 > samples else {
            let reason = samples == 1
                ? (firstFailure ?? "no answer")
                : "\(samples - valid.count) of \(samples) samples invalid; the first: " + (firstFailure ?? "no answer")
            return .invalid(redact(reason), rawAnswer: rawAnswer, usage: usage)
        }
        var votes: [SpanKey: Int] = [:]
        var spanByKey: [SpanKey: EntitySpan] = [:]
        for sample in valid {
            for span in Set(sample.map(\.key)) { votes[span, default: 0] += 1 }
            for span in sample { spanByKey[span.key] = span }
        }
        let proposed = votes.filter { $0.value * 2 > samples }.keys.sorted().compactMap { spanByKey[$0] }
        var probabilities: [String: Double] = [:]
        for span in proposed { probabilities[span.key.text] = Double(votes[span.key] ?? 0) / Double(samples) }
        return LabelScore(label: SpanAnnotation.label(for: proposed), probabilities: probabilities, rawAnswer: rawAnswer, usage: usage)
    }

    struct ParseFailure: Error, Equatable {
        var message: String
    }

    /// One reply's spans in the item: `{"entities": [...]}` (also inside prose or code fences),
    /// each entry's `text` placed in `itemText` and its `type` one of the labels (case-only
    /// differences accepted when unambiguous). Offsets the reply may carry are ignored.
    static func spans(in raw: String, itemText: String, labels: LabelSet) -> Result<[EntitySpan], ParseFailure> {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .failure(ParseFailure(message: "empty answer")) }
        guard let list = AnswerParser.firstJSONObject(in: text)?["entities"]?.arrayValue else {
            return .failure(ParseFailure(message: "no {\"entities\": [...]} in the answer: " + quoted(text)))
        }
        let parser = AnswerParser(labels: labels)
        var entities: [ProposedEntity] = []
        for element in list {
            guard let mention = element["text"]?.stringValue, let type = (element["type"] ?? element["label"])?.stringValue else {
                return .failure(ParseFailure(message: "an entity without a text and a type: " + quoted(element.serialized)))
            }
            guard let known = parser.canonical(type.trimmingCharacters(in: .whitespaces)) else {
                return .failure(ParseFailure(message: "entity \(quoted(mention)) has type \(quoted(type)), not one of the labels "
                                             + labels.names.joined(separator: ", ")))
            }
            entities.append(ProposedEntity(text: mention, type: known))
        }
        let anchored = EntityAnchoring.anchor(entities, in: itemText, types: Set(labels.names))
        if let missing = anchored.unanchored.first {
            return .failure(ParseFailure(message: "entity \(quoted(missing.entity.text)) (\(missing.entity.type)): "
                                         + missing.reason.rawValue))
        }
        return .success(anchored.spans)
    }

    private static func quoted(_ text: String) -> String {
        JSONValue.string(String(text.prefix(60))).serialized
    }

    /// `{"entities": [{"text": string, "type": one of the labels}]}`.
    static func schema(labels: LabelSet) -> JSONValue {
        let entity: JSONValue = .object([
            ("type", .string("object")),
            ("properties", .object([
                ("text", .object([("type", .string("string")), ("minLength", .int(1))])),
                ("type", .object([("type", .string("string")), ("enum", .array(labels.names.map { .string($0) }))])),
            ])),
            ("required", .array([.string("text"), .string("type")])),
            ("additionalProperties", .bool(false)),
        ])
        return .object([
            ("type", .string("object")),
            ("properties", .object([("entities", .object([("type", .string("array")), ("items", entity)]))])),
            ("required", .array([.string("entities")])),
            ("additionalProperties", .bool(false)),
        ])
    }

    /// Room for every character of the item as mentions, with the JSON around each (bounded).
    static func maxTokens(itemText: String) -> Int {
        min(2048, 48 + itemText.utf8.count)
    }
}
