import AnnottyCore
import AnnottyLLM
import AnnottyLoop
import AnnottyTestSupport
import Foundation
import Synchronization

/// A throwaway project (a real SQLite store in a temporary folder) with a few items, and an LLM
/// session whose scorer is scripted: no network.
final class LoopProject: Sendable {
    let folder: URL
    let store: SQLiteStore
    let project: Project

    static let labels = LabelSet(names: ["positive", "negative", "neutral", "mixed"])

    init(items: [String], configure: (inout ProjectConfig) -> Void = { _ in }) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-loop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var config = ProjectConfig(name: "loop test", labels: LoopProject.labels)
        config.llm.provider = .openai
        config.llm.baseURL = "http://127.0.0.1:9/v1"
        config.llm.model = "scripted-model"
        config.llm.demonstrations = 0
        config.llm.maxConcurrency = 1
        config.llm.prefetchAhead = 3
        configure(&config)
        project = Project(folder: folder, config: config)
        store = try SQLiteStore(path: project.databaseURL.path, overlapPolicy: OverlapPolicy(config.annotation))
        _ = try store.importItems { sink in
            for (index, text) in items.enumerated() {
                try sink.add(ImportRecord(externalId: "r\(index + 1)", text: text))
            }
        }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var itemIds: [Int64] { (try? store.openItemIds(limit: 10_000)) ?? [] }

    /// An LLM session on this project whose every request goes to `scorer`.
    func session(_ scorer: ScriptedScorer) -> LLMSession {
        LLMSession(settings: project.config.llm, labels: project.config.labels,
                   guidelines: Guidelines(markdown: "", labels: project.config.labels), store: store,
                   environment: [:], scorerFactory: { _, _ in scorer })
    }

    /// A loop on this project with the scripted model and an injected clock.
    func loop(_ scorer: ScriptedScorer, annotator: String = "alice", clock: TestClock) throws -> LabelingLoop {
        try LabelingLoop(project: project, store: store, annotator: annotator, guidelines: nil,
                         model: .session(session(scorer)), clock: { clock.now }, tickInterval: nil)
    }
}

/// Time that moves only when the test says so.
final class TestClock: Sendable {
    private let seconds = Mutex<Double>(1000)
    var now: Double { seconds.withLock { $0 } }
    func advance(_ by: Double) { seconds.withLock { $0 += by } }
}

/// A scorer that answers from a script: per item text, a label distribution, an invalid answer
/// or a failure, each after a scripted delay. Records what it was asked, in order.
final class ScriptedScorer: LabelScorer {
    enum Reply: Sendable {
        case probabilities([String: Double])
        case invalid
        case failure(String)
    }

    private let asked = Mutex<[String]>([])
    private let replies: Mutex<[String: [Reply]]>
    let fallback: Reply
    let delay: Double
    /// Every text asked, in order; waits are on this.
    let log = EventLogOfStrings()

    init(delay: Double = 0, replies: [String: [Reply]] = [:],
         fallback: Reply = .probabilities(["positive": 0.7, "negative": 0.1, "neutral": 0.1, "mixed": 0.1])) {
        self.delay = delay
        self.replies = Mutex(replies)
        self.fallback = fallback
    }

    var signature: String { "scripted" }
    var answerFormat: PromptBuilder.AnswerFormat { .label }
    var askedTexts: [String] { log.all }

    func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore {
        let block = prompt.messages.last?.content ?? ""
        let text = block.replacingOccurrences(of: "<item>\n", with: "").replacingOccurrences(of: "\n</item>", with: "")
        log.add(text)
        if delay > 0 {
            // The scripted latency of a model; a cancelled request ends at once.
            if let cancellation = context.cancellation {
                if !cancellation.sleep(seconds: delay) { throw .cancelled }
            } else {
                Thread.sleep(forTimeInterval: delay)
            }
        }
        let reply = replies.withLock { replies -> Reply in
            guard var queue = replies[text], !queue.isEmpty else { return fallback }
            let next = queue.removeFirst()
            replies[text] = queue
            return next
        }
        switch reply {
        case .probabilities(let probabilities):
            return .from(probabilities: probabilities, labels: labels, rawAnswer: "{}",
                         usage: TokenUsage(promptTokens: 10, completionTokens: 1))
        case .invalid:
            return .invalid("label \"meh\" is not in the label set", rawAnswer: "meh", usage: TokenUsage())
        case .failure(let reason):
            throw .serverUnavailable(reason)
        }
    }
}

typealias EventLogOfStrings = EventLog<String>
