import AnnottyCore
import AnnottyLLM
import AnnottyLoop
import Foundation

/// LLM benchmarks against the real offline default (llama.cpp + SmolLM2-135M from .venv; run
/// scripts/setup-local-llm.sh first) on the sample reviews, from the repository root:
///
///     swift run -c release annotty-bench prelabel-throughput [--items 24] [--levels 1,4,8] [--rounds 3] [--threads 2]
///     swift run -c release annotty-bench prefetch-annotator [--items 40] [--think-ms 500] [--concurrency 4]
///                                                          [--fake-latency-ms L]
enum LLMBenchmarks {
    // MARK: Throughput

    /// Pre-labelling throughput at several concurrency levels. Each measurement gets a fresh
    /// server with as many slots as requests in flight and a fresh project; the shared system
    /// prompt is put into every slot first (`SlotWarmer`, as `annotty prelabel` does) and not
    /// counted. Levels are interleaved over `rounds` rounds and the median reported, so that a
    /// change in the machine's load during the run does not favour one level.
    static func prelabelThroughput(_ arguments: [String]) throws {
        let options = Options(arguments)
        let items = options.int("items", 24)
        let levels = options.list("levels", [1, 4, 8])
        let threads = options.int("threads", 2)
        let rounds = options.int("rounds", 3)
        let environment = try LocalModelEnvironment.locate().get()
        print("prelabel-throughput: \(items) sample reviews per measurement, \(rounds) rounds, server threads \(threads), "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage())")
        var rates: [Int: [Double]] = [:]
        var latencies: [Int: [Double]] = [:]
        var failures = 0
        for round in 1...rounds {
            for level in levels {
                let project = try BenchProject(items: items)
                defer { project.remove() }
                let server = LocalModelServer(environment: environment, options: .init(threads: threads, parallel: level))
                let baseURL = try server.start()
                defer { server.stop() }
                var settings = project.settings
                settings.maxConcurrency = level
                let client = OpenAICompatibleClient(endpoint: LLMEndpoint(settings: settings, baseURL: baseURL))
                let predictor = LLMPredictor(store: project.store, labels: project.labels, guidelines: project.guidelines,
                                             settings: settings, scorer: CompletionProbeScorer(client: client))
                SlotWarmer.warm(client: client, systemMessage: predictor.builder.systemMessage, slots: level)
                let result = try BulkPrelabeler(predictor: predictor, store: project.store, concurrency: level).run(itemIds: project.itemIds)
                let predictions = try project.store.latestPredictions(itemIds: project.itemIds)
                rates[level, default: []].append(result.itemsPerSecond)
                latencies[level, default: []] += predictions.values.map(\.latencyMs)
                failures += result.failed
                print(String(format: "  round %d, concurrency %d: %.2f items/s", round, level, result.itemsPerSecond))
            }
        }
        let baseline = median(rates[levels[0]] ?? [])
        for level in levels {
            let levelRates = rates[level] ?? []
            let rate = median(levelRates)
            print(String(format: "  concurrency %d: median %.2f items/s (range %.2f-%.2f), %.2fx concurrency %d, "
                         + "median latency %.0f ms", level, rate, levelRates.min() ?? 0, levelRates.max() ?? 0,
                         baseline > 0 ? rate / baseline : 0, levels[0], median(latencies[level] ?? [])))
        }
        print("  failed requests: \(failures); load average at the end \(loadAverage())")
    }

    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    // MARK: Annotator faster than the LLM

    /// A simulated annotator who spends `think-ms` on each item and never waits for the model,
    /// against the prefetcher (N adaptive) and against predicting only the item on screen.
    /// Reports how often the item on screen had no pre-label when shown, and for how long.
    static func prefetchAnnotator(_ arguments: [String]) throws {
        let options = Options(arguments)
        let items = options.int("items", 40)
        let think = Double(options.int("think-ms", 500)) / 1000
        let concurrency = options.int("concurrency", 4)
        let fakeLatency = options.value("fake-latency-ms").flatMap(Double.init).map { $0 / 1000 }
        print("prefetch-annotator: \(items) items, annotator \(Int(think * 1000)) ms per item, concurrency \(concurrency), "
              + (fakeLatency.map { "simulated model with \(Int($0 * 1000)) ms latency" } ?? "local model (SmolLM2-135M)")
              + ", load average \(loadAverage())")
        for mode in ["prefetch", "on-demand"] {
            let project = try BenchProject(items: items + 3)
            defer { project.remove() }
            var settings = project.settings
            settings.maxConcurrency = concurrency
            settings.localParallel = concurrency
            let session = LLMSession(settings: settings, labels: project.labels, guidelines: project.guidelines, store: project.store,
                                     scorerFactory: { settings, client in
                                         if let fakeLatency { return FixedLatencyScorer(seconds: fakeLatency) }
                                         return LLMSession.makeScorer(settings: settings, client: client)
                                     })
            defer { session.stop() }
            try session.start()
            let configuration = mode == "prefetch" ? Prefetcher.Configuration(settings: settings)
                : Prefetcher.Configuration(initialAhead: 1, minAhead: 1, maxAhead: 1, maxConcurrency: concurrency)
            let prefetcher = Prefetcher(session: session, store: project.store, configuration: configuration)
            let arrivals = ArrivalLog()
            prefetcher.onPrediction = { arrivals.note($0.itemId) }
            prefetcher.start()
            defer { prefetcher.stop() }

            var gaps: [Double] = []
            var missing = 0
            var missingAtStart = 0
            let startItems = min(10, items)
            let ids = project.itemIds
            let started = Date()
            for index in 0..<items {
                let shownAt = Date()
                prefetcher.setUpcoming(Array(ids[index..<min(ids.count, index + 3)]))
                let hadPrediction = arrivals.time(of: ids[index]).map { $0 <= shownAt } ?? false
                Thread.sleep(forTimeInterval: think)
                if hadPrediction {
                    gaps.append(0)
                } else {
                    missing += 1
                    if index < startItems { missingAtStart += 1 }
                    gaps.append(arrivals.time(of: ids[index]).map { min(think, $0.timeIntervalSince(shownAt)) } ?? think)
                }
                // The annotator labels the item, which takes it out of the queue.
                try project.store.recordDecision(Decision(itemId: ids[index], annotator: "bench", kind: .correct, label: "neutral"))
            }
            let elapsed = Date().timeIntervalSince(started)
            if ProcessInfo.processInfo.environment["BENCH_DEBUG"] != nil {
                print("arrivals", ids.prefix(items).map { arrivals.time(of: $0).map { String(format: "%.2f", $0.timeIntervalSince(started)) } ?? "-" })
                print(prefetcher.status)
            }
            let withoutPrediction = gaps.filter { $0 > 0 }.sorted()
            let status = prefetcher.status
            print(String(format: "  %@: shown without a pre-label %d of %d (%.0f%%; %d of them among the first %d); "
                         + "time without one on screen: "
                         + "mean %.0f ms, median %.0f ms, p90 %.0f ms over those items (%.1f s of %.1f s in all); "
                         + "model median latency %.0f ms, final look-ahead %d",
                         mode, missing, items, 100 * Double(missing) / Double(items), missingAtStart, startItems,
                         1000 * mean(withoutPrediction), 1000 * median(withoutPrediction), 1000 * percentile(withoutPrediction, 0.9),
                         gaps.reduce(0, +), elapsed, status.medianLatencyMs ?? 0, prefetcher.currentAhead))
        }
    }

    // MARK: Helpers

    static func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((fraction * Double(sorted.count - 1)).rounded()))]
    }

    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }
}

/// A temporary project with the first N sample reviews and the sentiment guidelines.
private final class BenchProject {
    let folder: URL
    let store: SQLiteStore
    let labels = LabelSet(names: ["positive", "negative", "neutral", "mixed"])
    let guidelines: Guidelines
    let itemIds: [Int64]
    var settings: LLMSettings {
        var settings = LLMSettings()
        settings.provider = .local
        return settings
    }

    init(items: Int) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-llm-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteStore(path: folder.appendingPathComponent("annotty.sqlite").path)
        let markdown = try String(contentsOfFile: "guidelines/sentiment.md", encoding: .utf8)
        guidelines = Guidelines(markdown: markdown, labels: labels)
        let rows = try String(contentsOfFile: "sample-data/reviews.jsonl", encoding: .utf8).split(separator: "\n").prefix(items)
        _ = try store.importItems { sink in
            for row in rows {
                let json = try JSONParser.parse(String(row))
                try sink.add(ImportRecord(externalId: json["id"]?.stringValue, text: json["text"]?.stringValue ?? ""))
            }
        }
        itemIds = try store.openItemIds(limit: items)
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// When each item's prediction arrived.
private final class ArrivalLog: @unchecked Sendable {
    private let lock = NSLock()
    private var arrivals: [Int64: Date] = [:]

    func note(_ itemId: Int64) {
        lock.lock()
        if arrivals[itemId] == nil { arrivals[itemId] = Date() }
        lock.unlock()
    }

    func time(of itemId: Int64) -> Date? {
        lock.lock()
        defer { lock.unlock() }
        return arrivals[itemId]
    }
}

/// A stand-in model with a fixed latency, to measure the prefetcher alone.
private struct FixedLatencyScorer: LabelScorer {
    let seconds: Double
    var signature: String { "fixed-latency" }
    var answerFormat: PromptBuilder.AnswerFormat { .label }

    func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore {
        if context.cancellation?.sleep(seconds: seconds) == false { throw .cancelled }
        return .from(probabilities: Dictionary(uniqueKeysWithValues: labels.names.map { ($0, 1 / Double(labels.count)) }),
                     labels: labels, rawAnswer: nil, usage: TokenUsage())
    }
}

/// `--name value` options.
private struct Options {
    let values: [String: String]

    init(_ arguments: [String]) {
        var values: [String: String] = [:]
        var index = 0
        while index < arguments.count {
            if arguments[index].hasPrefix("--"), index + 1 < arguments.count {
                values[String(arguments[index].dropFirst(2))] = arguments[index + 1]
                index += 2
            } else {
                index += 1
            }
        }
        self.values = values
    }

    func value(_ name: String) -> String? { values[name] }
    func int(_ name: String, _ fallback: Int) -> Int { values[name].flatMap(Int.init) ?? fallback }
    func list(_ name: String, _ fallback: [Int]) -> [Int] {
        values[name].map { $0.split(separator: ",").compactMap { Int($0) } } ?? fallback
    }
}
