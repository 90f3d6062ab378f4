import AnnottyCore
import Foundation
@testable import AnnottyLLM

/// A throwaway project store in a temporary folder, with a few items.
final class TestProject: @unchecked Sendable {
    let folder: URL
    let store: SQLiteStore
    let labels: LabelSet
    let guidelines: Guidelines

    static let sentimentLabels = LabelSet(names: ["positive", "negative", "neutral", "mixed"])

    static let sentimentGuidelines = """
        # Sentiment of product reviews

        Choose the label that best describes the reviewer's overall opinion of the product.

        ## positive

        **Definition:** The reviewer is satisfied with the product overall.

        **Examples:**
        - The blanket is thick, soft and still looks new after a winter of washing.

        ## negative

        **Definition:** The reviewer is dissatisfied with the product overall.

        **Examples:**
        - The handle snapped off the first time I lifted a full pot.

        ## neutral

        **Definition:** The review states no clear opinion of the product.

        **Examples:**
        - Came in a plain brown box with two batteries and a short manual.

        ## mixed

        **Definition:** Real praise and real criticism, neither clearly outweighing the other.

        **Examples:**
        - Gorgeous screen, but the battery is flat by mid-afternoon.
        """

    static let reviews = [
        "I love this kettle, it boils fast and looks great on the counter.",
        "Broke after two days. Complete waste of money.",
        "The package contained one lamp and a power cable.",
        "Great sound, but the battery dies within an hour.",
        "Best purchase I made this year, my whole family uses it.",
        "The zipper jammed on the first trip and the seams are coming apart.",
    ]

    init(items: [String] = TestProject.reviews, labels: LabelSet = TestProject.sentimentLabels,
         guidelinesMarkdown: String = TestProject.sentimentGuidelines) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-llm-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteStore(path: folder.appendingPathComponent("annotty.sqlite").path)
        self.labels = labels
        guidelines = Guidelines(markdown: guidelinesMarkdown, labels: labels)
        _ = try store.importItems { sink in
            for (index, text) in items.enumerated() {
                try sink.add(ImportRecord(externalId: "r\(index + 1)", text: text))
            }
        }
    }

    var itemIds: [Int64] { (try? store.openItemIds(limit: 10_000)) ?? [] }

    func items() throws -> [Item] { try store.items(ids: itemIds) }

    func settings(provider: LLMSettings.Provider = .openai, baseURL: String = "", confidence: LLMSettings.ConfidenceMethod = .logprobs,
                  model: String = "test-model") -> LLMSettings {
        var settings = LLMSettings()
        settings.provider = provider
        settings.baseURL = baseURL
        settings.model = model
        settings.confidence = confidence
        settings.demonstrations = 2
        return settings
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { remove() }
}

/// Answers from a script, recording what was sent; no network.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var script: [Result<HTTPResponse, HTTPFailure>]
    private(set) var sent: [HTTPRequest] = []

    init(_ script: [Result<HTTPResponse, HTTPFailure>]) {
        self.script = script
    }

    func send(_ request: HTTPRequest, cancellation: CancellationToken?) throws(HTTPFailure) -> HTTPResponse {
        lock.lock()
        sent.append(request)
        let next = script.isEmpty ? .failure(.other("script exhausted")) : script.removeFirst()
        lock.unlock()
        return try next.get()
    }

    var sentCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return sent.count
    }
}

/// Records the waits a client asks for instead of waiting.
final class SleepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Double] = []

    var delays: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    var sleep: @Sendable (Double, CancellationToken?) -> Bool {
        { [self] seconds, _ in
            lock.lock()
            recorded.append(seconds)
            lock.unlock()
            return true
        }
    }
}

/// Chat-completion bodies as an OpenAI-compatible server sends them.
enum CannedAnswers {
    static func chat(content: String, tokens: [(String, Double, [(String, Double)])]? = nil,
                     promptTokens: Int = 120, completionTokens: Int = 6) -> String {
        var choice: [(key: String, value: JSONValue)] = [
            ("index", .int(0)),
            ("message", .object([("role", .string("assistant")), ("content", .string(content))])),
        ]
        if let tokens {
            choice.append(("logprobs", .object([("content", .array(tokens.map { token, logprob, top in
                .object([("token", .string(token)), ("logprob", .double(logprob)),
                         ("top_logprobs", .array(top.map { .object([("token", .string($0.0)), ("logprob", .double($0.1))]) }))])
            }))])))
        }
        choice.append(("finish_reason", .string("stop")))
        return JSONValue.object([
            ("id", .string("chatcmpl-1")), ("object", .string("chat.completion")), ("model", .string("test-model")),
            ("choices", .array([.object(choice)])),
            ("usage", .object([("prompt_tokens", .int(promptTokens)), ("completion_tokens", .int(completionTokens))])),
        ]).serialized
    }

    /// A `{"label": "<label>"}` answer whose label token had these alternatives.
    static func labelled(_ label: String, alternatives: [(String, Double)]) -> String {
        let chosen = alternatives.first { $0.0 == label }?.1 ?? -0.1
        return chat(content: "{\"label\": \"\(label)\"}", tokens: [
            ("{\"", -0.001, [("{\"", -0.001)]), ("label", -0.001, [("label", -0.001)]), ("\":", -0.001, [("\":", -0.001)]),
            (" \"", -0.001, [(" \"", -0.001)]), (label, chosen, alternatives), ("\"}", -0.001, [("\"}", -0.001)]),
        ])
    }
}
