import AnnottyCore
import Foundation
import Synchronization

/// Everything one annotty process needs to talk to its LLM, built from the project's settings:
/// the local server (for `provider = local`, started on demand and stopped with the session),
/// the client, the scorer that matches the configured confidence method, and the predictor.
public final class LLMSession: Sendable {
    public let settings: LLMSettings
    public let labels: LabelSet
    public let guidelines: Guidelines
    public let store: any AnnotationStore
    public let taskName: String
    /// The project's task kind: a multi-label project is asked a yes/no question per label.
    public let task: TaskKind
    public let projectFolder: URL?
    let environment: [String: String]
    let transport: any HTTPTransport
    let localEnvironment: @Sendable () -> Result<LocalModelEnvironment, LLMError>
    let scorerFactory: @Sendable (LLMSettings, OpenAICompatibleClient) -> any LabelScorer

    private let running = Mutex(Running())
    /// Held through `start` (seconds, for a local server), so that two callers never start two
    /// servers; `stop` does not take it.
    private let starting = Mutex(())

    /// What a started session holds.
    private struct Running {
        var server: LocalModelServer?
        var predictor: LLMPredictor?
        var client: OpenAICompatibleClient?
        var warmup: SlotWarmer.Report?
    }

    public init(settings: LLMSettings, labels: LabelSet, guidelines: Guidelines, store: any AnnotationStore,
                taskName: String = "", task: TaskKind = .single, projectFolder: URL? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                transport: any HTTPTransport = CurlTransport(),
                localEnvironment: (@Sendable () -> Result<LocalModelEnvironment, LLMError>)? = nil,
                scorerFactory: (@Sendable (LLMSettings, OpenAICompatibleClient) -> any LabelScorer)? = nil) {
        self.settings = settings
        self.labels = labels
        self.guidelines = guidelines
        self.store = store
        self.taskName = taskName
        self.task = task
        self.projectFolder = projectFolder
        self.environment = environment
        self.transport = transport
        self.localEnvironment = localEnvironment ?? { LocalModelEnvironment.locate(environment: environment) }
        self.scorerFactory = scorerFactory ?? { LLMSession.makeScorer(settings: $0, client: $1, task: task) }
    }

    /// A session for a project folder: its settings, labels and guidelines.
    public convenience init(project: Project, store: any AnnotationStore,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.init(settings: project.config.llm, labels: project.config.labels, guidelines: try project.loadGuidelines(),
                  store: store, taskName: project.config.name, task: project.config.task, projectFolder: project.folder,
                  environment: environment)
    }

    public var isEnabled: Bool { settings.provider != .none }

    /// The default endpoint for provider = openai with no base_url.
    public static let openAIBaseURL = "https://api.openai.com/v1"

    public var predictor: LLMPredictor? { running.withLock { $0.predictor } }

    public var client: OpenAICompatibleClient? { running.withLock { $0.client } }

    public var localServer: LocalModelServer? { running.withLock { $0.server } }

    /// What warming the local server's slots did (restored from the project's slot cache or
    /// computed, and why); nil until a local server this session started is warmed.
    public var warmup: SlotWarmer.Report? { running.withLock { $0.warmup } }

    /// Starts the local server when the provider is local, then builds the predictor. Blocks
    /// (seconds for a local server): call it off the UI thread. Idempotent.
    @discardableResult
    public func start(cancellation: CancellationToken? = nil) throws(LLMError) -> LLMPredictor {
        try starting.withLock { _ throws(LLMError) in try startOnce(cancellation: cancellation) }
    }

    /// The body of `start`; the caller holds `starting`.
    private func startOnce(cancellation: CancellationToken?) throws(LLMError) -> LLMPredictor {
        if let predictor { return predictor }
        if let reason = LLMSession.unsupportedReason(settings: settings, task: task) { throw .serverUnavailable(reason) }
        var baseURL: String
        switch settings.provider {
        case .none:
            throw .serverUnavailable("no LLM configured (provider = none)")
        case .openai:
            baseURL = settings.baseURL.isEmpty ? LLMSession.openAIBaseURL : settings.baseURL
        case .local:
            if !settings.baseURL.isEmpty {
                // A local server someone already runs: use it rather than starting one.
                baseURL = settings.baseURL
            } else {
                let located: LocalModelEnvironment
                switch localEnvironment() {
                case .success(let found): located = found
                case .failure(let error): throw error
                }
                let launcher = LocalModelServer(environment: located,
                                                options: LocalModelServer.Options(settings: settings, projectFolder: projectFolder))
                running.withLock { $0.server = launcher }
                baseURL = try launcher.start(cancellation: cancellation)
            }
        }
        let endpoint = LLMEndpoint(settings: settings, baseURL: baseURL, environment: environment)
        let client = OpenAICompatibleClient(endpoint: endpoint, transport: transport)
        let predictor = LLMPredictor(store: store, labels: labels, guidelines: guidelines, settings: settings,
                                     scorer: scorerFactory(settings, client), taskName: taskName, task: task)
        try? predictor.refreshDemonstrations()
        var warmup: SlotWarmer.Report?
        if settings.provider == .local && settings.baseURL.isEmpty, let server = localServer {
            let report = SlotWarmer.warm(client: client, systemMessage: predictor.builder.systemMessage,
                                         slots: settings.localParallel, cacheFolder: server.slotCacheFolder,
                                         fingerprint: server.slotFingerprint, cancellation: cancellation)
            for note in report.notes { server.appendLog(note) }
            server.appendLog("slot warming: \(report.source.rawValue), \(report.slots) of \(settings.localParallel) slots "
                             + "hold the \(report.prefixTokens)-token system prompt (\(report.tokensEvaluated) evaluated, "
                             + "\(String(format: "%.1f", report.seconds)) s)")
            warmup = report
        }
        running.withLock { running in
            running.client = client
            running.predictor = predictor
            running.warmup = warmup
        }
        return predictor
    }

    /// The scorer for the configured confidence method. With log-probabilities, llama.cpp (the
    /// local provider) is probed directly; other servers go through chat completions.
    /// A multi-label project gets a yes/no question per label (`PerLabelYesNoScorer`) or, with
    /// samples, sampled lists (`SampledLabelSetScorer`).
    public static func makeScorer(settings: LLMSettings, client: OpenAICompatibleClient, task: TaskKind = .single) -> any LabelScorer {
        if task == .spans {
            // Spans: agreement over sampled entity lists for `samples` and `logprobs` alike (a type
            // token's log-probability says nothing of a span's boundaries: `SampledEntityScorer`).
            return SampledEntityScorer(client: client, model: settings.model, samples: settings.samples,
                                       temperature: settings.temperature)
        }
        if task == .multi {
            switch settings.confidence {
            case .samples:
                return SampledLabelSetScorer(client: client, model: settings.model, samples: settings.samples,
                                             temperature: settings.temperature)
            case .logprobs, .stated:
                // `stated` is refused by `unsupportedReason` before a scorer is needed.
                if settings.provider == .local { return PerLabelYesNoScorer(client: client, method: .completionProbe(topK: 100)) }
                return PerLabelYesNoScorer(client: client, method: .chatLogprobs(model: settings.model, temperature: settings.temperature,
                                                                                 topLogprobs: 20))
            }
        }
        switch settings.confidence {
        case .logprobs:
            if settings.provider == .local { return CompletionProbeScorer(client: client) }
            return ChatLogprobScorer(client: client, model: settings.model, temperature: settings.temperature)
        case .stated:
            return StatedConfidenceScorer(client: client, model: settings.model, temperature: settings.temperature)
        case .samples:
            return SampleAgreementScorer(client: client, model: settings.model, samples: settings.samples,
                                         temperature: settings.temperature)
        }
    }

    /// Why the configured confidence method cannot pre-label this task kind, or nil when it can.
    /// A stated confidence is one number for one answer; a set needs one per label.
    public static func unsupportedReason(settings: LLMSettings, task: TaskKind) -> String? {
        if task == .spans, settings.confidence == .stated {
            return "confidence = \"stated\" is for one label per item: entity pre-labels need each span's confidence. "
                + "Set confidence = \"samples\" (agreement over sampled entity lists, samples = 5) in [llm] of annotty.toml"
        }
        guard task == .multi, settings.confidence == .stated else { return nil }
        return "confidence = \"stated\" is single-label only: a multi-label pre-label needs each label's probability. "
            + "Set confidence = \"logprobs\" (a yes/no question per label) or \"samples\" (agreement over sampled lists) "
            + "in [llm] of annotty.toml"
    }

    /// Stops the local server, if this session started one.
    public func stop() {
        let server = running.withLock { running in
            defer { running = Running() }
            return running.server
        }
        server?.stop()
    }

    deinit {
        running.withLock { $0.server }?.stop()
    }
}
