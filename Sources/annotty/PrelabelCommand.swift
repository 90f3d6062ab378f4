import AnnottyCore
import AnnottyPostgres
import AnnottyLLM
import ArgumentParser
import Foundation
import Synchronization

struct PrelabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prelabel",
        abstract: "Pre-label every open item with the LLM, headless, with a progress bar.",
        discussion: """
        Asks the model configured in annotty.toml ([llm]) for a label and a probability for \
        every label, for each item still open, and stores them; the labeling screen then shows \
        them as pre-labels. Several requests run at once to keep the server busy.

        Resumable: items this model already answered are skipped, and a prompt asked before is \
        answered from the cache, so an interrupted run (Ctrl-C) continues where it stopped.

        With provider = "local", the bundled small model is started for the run and stopped \
        after it (scripts/setup-local-llm.sh installs it). The API key for other providers is \
        read from the environment variable named by api_key_env; it is never stored.

        Multi-label projects (task = "multi"): each item gets every label's probability of \
        being in its set, from one yes/no question per label (the log-probabilities of the \
        answer word; the questions for one item share the prompt up to the question, so the \
        server's prompt cache makes each further label cheap), or with confidence = "samples" \
        from the share of sampled label lists naming the label. The pre-label is the set of \
        labels at 0.5 or more. confidence = "stated" and --batch-out are single-label only.

        Entity-span projects (task = "spans"): the model is asked `samples` times (default 5) \
        for the item's entities, as {"entities": [{"text": ..., "type": ...}]}; annotty finds \
        each mention in the item's own text (offsets the model states are ignored). A span's \
        confidence is the share of samples that proposed it, and the pre-label is the spans \
        more than half proposed. An answer naming a mention the item does not contain, or a \
        type outside the labels, is invalid and recorded with the reason. confidence = \
        "logprobs" samples the same way; "stated" and --batch-out are refused.

        For jobs too large for one machine, --batch-out writes an OpenAI Batch API request file \
        instead of calling the model; submit it to the provider, then read the results back \
        with `annotty import-predictions`.

        If several requests in a row cannot reach the server at all (connection refused, host \
        not found, no connection within connect_timeout_s), the run stops at once and says so, \
        rather than failing every item in turn. A request that times out after it was sent is \
        not sent again (the server is probably still working on it): the message names the \
        timeout to raise in [llm].

        Exit status:
          0    every item asked for has a pre-label
          1    an error stopped the run (the message says which, and what to do)
          3    some items were not pre-labelled; run again to retry the failed ones
          4    no item was pre-labelled
          5    the LLM endpoint could not be reached or started
          64   bad options
          130  interrupted (Ctrl-C); run the same command again to continue

        Examples:
          annotty prelabel -p reviews
          annotty prelabel -p reviews --limit 50 --concurrency 8
          annotty prelabel -p reviews --batch-out batch-requests.jsonl
        """)

    /// The documented exit statuses (see the discussion above).
    enum Status {
        static let someNotPrelabelled = ExitCode(3)
        static let nonePrelabelled = ExitCode(4)
        static let endpointUnavailable = ExitCode(5)
        static let interrupted = ExitCode(130)
    }

    @OptionGroup var project: ProjectOptions

    @Option(help: "Pre-label at most this many open items, in queue order.")
    var limit: Int?

    @Option(help: "Requests in flight at once (default: max_concurrency, or local_parallel for the local model).")
    var concurrency: Int?

    @Option(help: "Write an OpenAI Batch API request file here instead of calling the model.")
    var batchOut: String?

    @Flag(help: "No progress bar; only the summary.")
    var quiet = false

    func validate() throws {
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let project = try project.open()
        try project.config.requireTask(.single, .multi, .spans, command: "prelabel")
        let store = try ProjectStore.open(project)
        var settings = project.config.llm
        guard settings.provider != .none else {
            throw ValidationError("the project has no LLM (provider = \"none\" in \(ProjectConfig.fileName))")
        }
        if let concurrency {
            settings.maxConcurrency = concurrency
            if settings.provider == .local { settings.localParallel = concurrency }
        } else if settings.provider == .local {
            settings.maxConcurrency = settings.localParallel
        }
        if let reason = LLMSession.unsupportedReason(settings: settings, task: project.config.task) {
            throw ValidationError(reason)
        }
        if batchOut != nil && project.config.task == .spans {
            throw ValidationError("--batch-out is single-label only: entity pre-labels are sampled several times and "
                                  + "anchored in each item. Pre-label live (without --batch-out)")
        }
        if batchOut != nil && project.config.task == .multi {
            throw ValidationError("--batch-out is single-label only: a multi-label item needs a question per label. "
                                  + "Pre-label live (without --batch-out), or compute each label's probability elsewhere "
                                  + "and read it with `annotty import-predictions` (see its --help for the format)")
        }
        let itemIds = try store.openItemIds(limit: limit ?? Int.max)
        let guidelines = try project.loadGuidelines()

        if let batchOut {
            try writeBatch(to: batchOut, itemIds: itemIds, settings: settings, store: store, guidelines: guidelines, project: project)
            return
        }

        let pending = try BulkPrelabeler.pendingItems(itemIds, store: store, model: settings.model)
        if pending.isEmpty {
            // Nothing to ask: do not start a server for it.
            var result = PrelabelProgress()
            result.total = itemIds.count
            result.done = itemIds.count
            result.skipped = itemIds.count
            print(PrelabelCommand.summary(result, interrupted: false))
            return
        }

        let session = LLMSession(settings: settings, labels: project.config.labels, guidelines: guidelines, store: store,
                                 taskName: project.config.name, task: project.config.task, projectFolder: project.folder)
        defer { session.stop() }
        let cancellation = CancellationToken()
        let interrupt = InterruptHandler { cancellation.cancel() }
        defer { interrupt.restore() }

        if settings.provider == .local && settings.baseURL.isEmpty && !quiet {
            printError("starting the local model server…")
        }
        let predictor: LLMPredictor
        do {
            predictor = try session.start(cancellation: cancellation)
        } catch {
            if cancellation.isCancelled { throw Status.interrupted }
            printError("the LLM is not available: " + TerminalSafeText.singleLine(error.description, limit: 400))
            throw Status.endpointUnavailable
        }
        let bar = ProgressBar(enabled: !quiet)
        let endpoint = !settings.baseURL.isEmpty ? settings.baseURL
            : settings.provider == .openai ? LLMSession.openAIBaseURL : ""
        let prelabeler = BulkPrelabeler(predictor: predictor, store: store, concurrency: settings.maxConcurrency, endpoint: endpoint)
        let result: PrelabelProgress
        do {
            result = try prelabeler.run(itemIds: itemIds, cancellation: cancellation) { bar.update($0) }
        } catch let error as BulkPrelabelError {
            bar.abandon()
            printError(error.description)
            throw Status.endpointUnavailable
        }
        bar.finish(result)
        let interrupted = cancellation.isCancelled
        print(PrelabelCommand.summary(result, interrupted: interrupted))
        print(PrelabelCommand.routingSummary(try RoutingPass(store: store, config: project.config).run(model: settings.model),
                                             settings: project.config.routing))
        if let status = PrelabelCommand.exitStatus(result, interrupted: interrupted) { throw status }
    }

    /// nil for success; otherwise the documented status for what the run left undone.
    static func exitStatus(_ result: PrelabelProgress, interrupted: Bool) -> ExitCode? {
        if interrupted { return Status.interrupted }
        let prelabelled = result.answered + result.cached + result.skipped
        if result.total > 0 && prelabelled == 0 { return Status.nonePrelabelled }
        if prelabelled < result.total { return Status.someNotPrelabelled }
        return nil
    }

    /// What the router did with the predictions: auto-accepted, or why it held back.
    static func routingSummary(_ summary: RoutingPass.Summary, settings: RoutingSettings) -> String {
        var line = "routing: \(summary.autoAccepted) auto-accepted, \(summary.personFirst) to people first (confidence below "
            + "\(settings.review)), \(summary.personLater) to people after them"
        switch summary.hold {
        case .coldStart(let verified, let needed):
            line += "\nno auto-accept yet: \(verified) of \(needed) verified outcomes (people's decisions on shown pre-labels)"
        case .belowAccuracyFloor(let measured, let floor):
            line += String(format: "\nno auto-accept: the model's measured accuracy %.3f is below the floor %.2f", measured, floor)
        case nil:
            break
        }
        if let threshold = summary.threshold { line += "\n" + threshold.reason }
        return line
    }

    static func summary(_ result: PrelabelProgress, interrupted: Bool) -> String {
        var lines: [String] = []
        lines.append((interrupted ? "interrupted after " : "pre-labelled ") + "\(result.done) of \(result.total) items: "
            + "\(result.answered) answered, \(result.cached) from the cache, \(result.skipped) already done, "
            + "\(result.invalid) invalid answers, \(result.failed) failed")
        lines.append(String(format: "%.2f items/s over %.1f s; tokens %d in, %d out; estimated cost $%.4f",
                            result.itemsPerSecond, result.elapsedSeconds, result.tokensIn, result.tokensOut, result.costUSD))
        if let failure = result.lastFailure { lines.append("last failure: " + TerminalSafeText.singleLine(failure, limit: 160)) }
        if interrupted { lines.append("run the same command again to continue") }
        return lines.joined(separator: "\n")
    }

    private func writeBatch(to path: String, itemIds: [Int64], settings: LLMSettings, store: any AnnotationStore,
                            guidelines: Guidelines, project: Project) throws {
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(settings: settings, baseURL: settings.baseURL.isEmpty
                                                                    ? LLMSession.openAIBaseURL : settings.baseURL))
        let scorer: any LabelScorer
        do { scorer = try BatchFiles.scorer(settings: settings, client: client) } catch { throw ValidationError(error.description) }
        let predictor = LLMPredictor(store: store, labels: project.config.labels, guidelines: guidelines, settings: settings,
                                     scorer: scorer, taskName: project.config.name)
        let url = URL(fileURLWithPath: path)
        let written = try BatchFiles.writeRequests(itemIds: itemIds, predictor: predictor, to: url)
        print("wrote \(written) requests to \(url.path) (\(itemIds.count - written) items already predicted)")
        print("submit it to the provider's Batch API, then: annotty import-predictions RESULTS.jsonl -p \(project.folder.path)")
    }
}

/// One line on standard error, redrawn in place: done/total, items/s, ETA, tokens, cost.
final class ProgressBar: Sendable {
    private let enabled: Bool
    private let interactive = isatty(STDERR_FILENO) == 1
    /// When the line was last drawn and at what fraction; progress arrives from many threads.
    private let drawn = Mutex<(at: Date, fraction: Double)>((Date.distantPast, -1))

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func update(_ progress: PrelabelProgress) {
        guard enabled else { return }
        drawn.withLock { drawn in
            let now = Date()
            let fraction = progress.total > 0 ? Double(progress.done) / Double(progress.total) : 1
            if interactive {
                guard now.timeIntervalSince(drawn.at) >= 0.1 || progress.done == progress.total else { return }
                FileHandle.standardError.write(Data(("\r" + ProgressBar.line(progress) + "\u{1B}[K").utf8))
            } else {
                // Logs get a line per tenth, not a stream of carriage returns.
                guard fraction - drawn.fraction >= 0.1 || progress.done == progress.total else { return }
                drawn.fraction = fraction
                printError(ProgressBar.line(progress))
            }
            drawn.at = now
        }
    }

    /// Ends the bar's line when the run stopped without a final tally.
    func abandon() {
        guard enabled, interactive else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    func finish(_ progress: PrelabelProgress) {
        guard enabled else { return }
        update(progress)
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func line(_ progress: PrelabelProgress) -> String {
        let width = 24
        let fraction = progress.total > 0 ? Double(progress.done) / Double(progress.total) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let eta = progress.etaSeconds.map { formatDuration($0) } ?? "--:--"
        var line = "[\(bar)] \(progress.done)/\(progress.total)  "
            + String(format: "%.2f items/s  ETA %@  tokens %@ in / %@ out  $%.4f", progress.itemsPerSecond, eta,
                     compact(progress.tokensIn), compact(progress.tokensOut), progress.costUSD)
        if progress.failed > 0 { line += "  \(progress.failed) failed" }
        return line
    }

    static func formatDuration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }

    static func compact(_ count: Int) -> String {
        count >= 1_000_000 ? String(format: "%.1fM", Double(count) / 1e6)
            : count >= 1_000 ? String(format: "%.1fk", Double(count) / 1e3) : String(count)
    }
}

/// Turns the first Ctrl-C into a request to stop cleanly (the run's summary still prints and
/// the local server is stopped); the default handler comes back afterwards.
/// Lives on the command's own thread; only its handler runs on a queue.
final class InterruptHandler {
    private let source: DispatchSourceSignal

    init(_ onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            printError("\nstopping… (requests in flight are abandoned; run again to continue)")
            onInterrupt()
        }
        source.resume()
    }

    func restore() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
