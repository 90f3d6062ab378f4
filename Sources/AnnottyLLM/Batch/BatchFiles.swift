import AnnottyCore
import Foundation

/// OpenAI Batch API files, for jobs too big for one machine: `annotty prelabel --batch-out`
/// writes one chat-completion request per item (JSONL), the provider runs them, and
/// `annotty import-predictions` reads the provider's output file back into predictions.
///
/// Each request's `custom_id` is `item-<id>-<prompt hash>`, so results land on the right item
/// and in the cache under the prompt they answer, whatever order the provider returns them in.
public enum BatchFiles {
    /// The single-request scorer for a confidence method (sampling needs many requests per
    /// item and has no batch form).
    public static func scorer(settings: LLMSettings, client: OpenAICompatibleClient) throws(LLMError) -> any LabelScorer {
        switch settings.confidence {
        case .logprobs: return ChatLogprobScorer(client: client, model: settings.model, temperature: settings.temperature)
        case .stated: return StatedConfidenceScorer(client: client, model: settings.model, temperature: settings.temperature)
        case .samples: throw .serverUnavailable("confidence = \"samples\" has no batch form: use logprobs or stated")
        }
    }

    public static func customId(itemId: Int64, promptHash: String) -> String {
        "item-\(itemId)-\(promptHash)"
    }

    static func parseCustomId(_ text: String) -> (itemId: Int64, promptHash: String)? {
        let parts = text.split(separator: "-", maxSplits: 2)
        guard parts.count == 3, parts[0] == "item", let itemId = Int64(parts[1]) else { return nil }
        return (itemId, String(parts[2]))
    }

    /// One line of the request file.
    public static func requestLine(item: Item, predictor: LLMPredictor) throws(LLMError) -> String {
        let prompt = predictor.prompt(for: item)
        let request: ChatRequest
        switch predictor.scorer {
        case let scorer as ChatLogprobScorer: request = scorer.request(prompt, labels: predictor.labels)
        case let scorer as StatedConfidenceScorer: request = scorer.request(prompt, labels: predictor.labels)
        default: throw .serverUnavailable("this confidence method has no batch form")
        }
        return JSONValue.object([
            ("custom_id", .string(customId(itemId: item.id, promptHash: prompt.hash))),
            ("method", .string("POST")),
            ("url", .string("/v1/chat/completions")),
            ("body", request.body),
        ]).serialized
    }

    /// Writes the request file for the items that still need this model's prediction; returns
    /// how many requests it wrote.
    public static func writeRequests(itemIds: [Int64], predictor: LLMPredictor, to url: URL) throws -> Int {
        try predictor.refreshDemonstrations()
        // A failure shows as FileHandle's error on the next line, naming the file.
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var written = 0
        for chunk in stride(from: 0, to: itemIds.count, by: 500).map({ Array(itemIds[$0..<min($0 + 500, itemIds.count)]) }) {
            let latest = try predictor.store.latestPredictions(itemIds: chunk)
            var lines = ""
            for item in try predictor.store.items(ids: chunk) where predictor.needsPrediction(latest: latest[item.id]) {
                lines += try requestLine(item: item, predictor: predictor) + "\n"
                written += 1
            }
            try handle.write(contentsOf: Data(lines.utf8))
        }
        return written
    }

    public struct ImportSummary: Sendable, Equatable {
        public var answered = 0
        public var invalid = 0
        public var failed = 0
        public var unknownItems = 0
        public var malformedLines = 0
        public var costUSD = 0.0
        public init() {}
    }

    /// Reads a provider's batch output file into predictions of `predictor.model`.
    /// - Parameter priceFactor: applied to the configured prices (the Batch API is billed at
    ///   half price on OpenAI).
    public static func importResults(from url: URL, predictor: LLMPredictor, priceFactor: Double = 0.5) throws -> ImportSummary {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError(file: url.path, message: "cannot read the batch output file")
        }
        var summary = ImportSummary()
        for rawLine in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            guard let json = try? JSONParser.parse(line), let customId = json["custom_id"]?.stringValue,
                  let target = parseCustomId(customId) else {
                summary.malformedLines += 1
                continue
            }
            guard try predictor.store.item(id: target.itemId) != nil else {
                summary.unknownItems += 1
                continue
            }
            var prediction = Prediction(itemId: target.itemId, model: predictor.model, label: nil, probabilities: [:], isValid: false,
                                        promptHash: target.promptHash)
            let status = json["response"]?["status_code"]?.intValue ?? 0
            if let body = json["response"]?["body"], (200..<300).contains(status) {
                do {
                    let response = try ChatResponse.parse(body)
                    let score: LabelScore = predictor.scorer is StatedConfidenceScorer
                        ? StatedConfidenceScorer.interpret(response, labels: predictor.labels)
                        : ChatLogprobScorer.interpret(response, labels: predictor.labels)
                    prediction.label = score.isValid ? score.label : nil
                    prediction.probabilities = score.probabilities
                    prediction.isValid = score.isValid
                    prediction.error = score.error
                    prediction.rawAnswer = score.rawAnswer
                    prediction.tokensIn = score.usage.promptTokens
                    prediction.tokensOut = score.usage.completionTokens
                    prediction.costUSD = predictor.cost(score.usage) * priceFactor
                    if score.isValid { summary.answered += 1 } else { summary.invalid += 1 }
                    summary.costUSD += prediction.costUSD
                } catch {
                    prediction.error = error.description
                    summary.failed += 1
                }
            } else {
                let message = json["error"]?["message"]?.stringValue ?? json["response"]?["body"]?["error"]?["message"]?.stringValue
                prediction.error = "batch request failed" + (status > 0 ? " (HTTP \(status))" : "") + (message.map { ": \($0)" } ?? "")
                summary.failed += 1
            }
            try predictor.store.savePrediction(prediction)
        }
        return summary
    }
}
