import AnnottyCore
import Foundation

/// Keeps the next N items of the queue predicted, in the background, so that the annotator
/// finds a pre-label waiting. The terminal UI tells it what is on screen and next in line
/// (`setUpcoming`, the on-screen item first); items are predicted in that order, so an item
/// the selector moves to the front goes first. Beyond the UI's list it reads the queue order
/// from the store.
///
/// N adapts: it is enough items to cover what the annotator gets through while one request is
/// in flight (twice over), plus one per concurrent request; it shrinks for a slow annotator so
/// that items a re-rank will push back are not paid for.
///
/// A failed call leaves the item to be labelled by hand: the failure is recorded, shown in the
/// status (`onStatus`, reason included), and the item is tried again after a pause. Nothing
/// here blocks the caller: `setUpcoming`, `start` and `stop` only take a lock briefly.
///
/// `onPrediction` receives valid predictions only (never an invalid answer or a failure), from
/// background threads: post them to the UI's inbox.
public final class Prefetcher: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// N before anything has been measured.
        public var initialAhead: Int
        public var minAhead: Int
        public var maxAhead: Int
        public var maxConcurrency: Int
        /// First pause before a failed item is tried again; doubles per further failure.
        public var failureCooldownSeconds: Double
        /// A failure or invalid answer stays in the status this long unless an answer clears it.
        public var problemDisplaySeconds: Double
        public var demonstrationRefreshSeconds: Double
        public var sessionRetrySeconds: Double

        public init(initialAhead: Int = 8, minAhead: Int = 2, maxAhead: Int = 64, maxConcurrency: Int = 4,
                    failureCooldownSeconds: Double = 15, problemDisplaySeconds: Double = 30,
                    demonstrationRefreshSeconds: Double = 20, sessionRetrySeconds: Double = 30) {
            self.initialAhead = initialAhead
            self.minAhead = max(1, minAhead)
            self.maxAhead = max(self.minAhead, maxAhead)
            self.maxConcurrency = max(1, maxConcurrency)
            self.failureCooldownSeconds = failureCooldownSeconds
            self.problemDisplaySeconds = problemDisplaySeconds
            self.demonstrationRefreshSeconds = demonstrationRefreshSeconds
            self.sessionRetrySeconds = sessionRetrySeconds
        }

        public init(settings: LLMSettings) {
            let ahead = max(1, settings.prefetchAhead)
            self.init(initialAhead: ahead, minAhead: min(ahead, max(1, settings.maxConcurrency)),
                      maxAhead: max(ahead * 4, 32), maxConcurrency: settings.maxConcurrency)
        }
    }

    public let session: LLMSession
    public let store: any AnnotationStore
    public let configuration: Configuration

    private let condition = NSCondition()
    private let coordinatorQueue = DispatchQueue(label: "annotty.prefetch.coordinator")
    /// One serial queue per request slot. Serial queues get threads of their own, while a
    /// concurrent queue on Linux runs no more blocking work items at once than there are
    /// cores (two requests on a two-core machine, whatever the configured concurrency).
    private let lanes: [DispatchQueue]
    private var freeLanes: [Int]
    /// Callbacks and demonstration reloads, off the coordinator.
    private let workQueue = DispatchQueue(label: "annotty.prefetch.work")
    private let cancellation = CancellationToken()

    // State below is guarded by `condition`.
    private var predictionHandler: (@Sendable (Prediction) -> Void)?
    private var statusHandler: (@Sendable (LLMStatus) -> Void)?
    private var running = false
    private var upcoming: [Int64] = []
    private var queueFill: [Int64] = []
    /// The items the coordinator last decided to keep predicted, in order.
    private var lastTarget: [Int64] = []
    private var queueFillAt = Date.distantPast
    private var screenItem: Int64?
    private var screenShownAt = Date()
    private var annotatorSecondsPerItem: Double?
    private var ahead: Int
    private var inFlight: Set<Int64> = []
    private var settled: Set<Int64> = []
    private var predicted: Set<Int64> = []
    private var checkedInStore: Set<Int64> = []
    private var cooling: [Int64: (until: Date, failures: Int)] = [:]
    private var latencies: [Double] = []
    /// The latest failure or invalid answer; cleared by the next answer.
    private var problem: (reason: String, at: Date)?
    /// Why an item has no pre-label, kept while it matters (the item on screen).
    private var itemProblems: [Int64: String] = [:]
    private var retry: (notice: RetryNotice, at: Date)?
    private var sessionProblem: String?
    private var lastStatus: LLMStatus?
    private var lastDemonstrationRefresh = Date()

    public init(session: LLMSession, store: any AnnotationStore, configuration: Configuration? = nil) {
        self.session = session
        self.store = store
        self.configuration = configuration ?? Configuration(settings: session.settings)
        self.ahead = self.configuration.initialAhead
        self.lanes = (0..<self.configuration.maxConcurrency).map { DispatchQueue(label: "annotty.prefetch.lane\($0)") }
        self.freeLanes = Array(lanes.indices.reversed())
    }

    /// Called with each valid prediction, on a background thread.
    public var onPrediction: (@Sendable (Prediction) -> Void)? {
        get { condition.lock(); defer { condition.unlock() }; return predictionHandler }
        set { condition.lock(); predictionHandler = newValue; condition.unlock() }
    }

    /// Called when the status changes, on a background thread.
    public var onStatus: (@Sendable (LLMStatus) -> Void)? {
        get { condition.lock(); defer { condition.unlock() }; return statusHandler }
        set { condition.lock(); statusHandler = newValue; condition.unlock() }
    }

    /// The items on screen and next in line, the on-screen one first. Cheap; call it whenever
    /// the list changes.
    public func setUpcoming(_ itemIds: [Int64]) {
        condition.lock()
        let now = Date()
        if let first = itemIds.first, first != screenItem {
            if screenItem != nil {
                let interval = now.timeIntervalSince(screenShownAt)
                // Pauses (a coffee, the guidelines) say nothing about the working pace.
                if interval > 0, interval < 600 {
                    annotatorSecondsPerItem = annotatorSecondsPerItem.map { 0.7 * $0 + 0.3 * interval } ?? interval
                }
            }
            screenItem = first
            screenShownAt = now
        }
        upcoming = itemIds
        queueFillAt = .distantPast
        condition.broadcast()
        condition.unlock()
    }

    public func start() {
        condition.lock()
        guard !running else { condition.unlock(); return }
        running = true
        condition.unlock()
        if !session.isEnabled {
            publish(.off)
            return
        }
        coordinatorQueue.async { [self] in coordinate() }
    }

    /// Stops predicting; requests in flight are abandoned within about a second. Does not stop
    /// the session's local server (the session owns it).
    public func stop() {
        condition.lock()
        running = false
        condition.broadcast()
        condition.unlock()
        cancellation.cancel()
    }

    /// Current N: how many items ahead are kept predicted.
    public var currentAhead: Int {
        condition.lock()
        defer { condition.unlock() }
        return ahead
    }

    // MARK: Coordinator

    private func coordinate() {
        publishStatus()
        guard let predictor = startSession() else { return }
        condition.lock()
        while running {
            refreshIfDue(predictor)
            let target = targetItems()
            lastTarget = target
            let unchecked = target.filter { !checkedInStore.contains($0) }
            if !unchecked.isEmpty {
                condition.unlock()
                let known = (try? store.latestPredictions(itemIds: unchecked)) ?? [:]
                condition.lock()
                for itemId in unchecked {
                    checkedInStore.insert(itemId)
                    guard let latest = known[itemId], !predictor.needsPrediction(latest: latest) else { continue }
                    settled.insert(itemId)
                    if latest.isValid {
                        predicted.insert(itemId)
                        if let handler = predictionHandler {
                            workQueue.async { handler(latest) }
                        }
                    }
                }
            }
            let now = Date()
            for itemId in target where inFlight.count < configuration.maxConcurrency {
                guard !settled.contains(itemId), !inFlight.contains(itemId) else { continue }
                if let cool = cooling[itemId], cool.until > now { continue }
                guard let lane = freeLanes.popLast() else { break }
                inFlight.insert(itemId)
                lanes[lane].async { [self] in
                    predict(itemId, with: predictor)
                    condition.lock()
                    freeLanes.append(lane)
                    condition.broadcast()
                    condition.unlock()
                }
            }
            condition.unlock()
            publishStatus()
            condition.lock()
            if running { _ = condition.wait(until: Date(timeIntervalSinceNow: 1)) }
        }
        condition.unlock()
    }

    /// Starts the session (the local server) on this background thread, retrying after a pause
    /// while it fails; the status says why meanwhile.
    private func startSession() -> LLMPredictor? {
        while true {
            condition.lock()
            let isRunning = running
            condition.unlock()
            guard isRunning else { return nil }
            do {
                let predictor = try session.start(cancellation: cancellation)
                condition.lock()
                sessionProblem = nil
                lastDemonstrationRefresh = Date()
                condition.unlock()
                return predictor
            } catch {
                if error.isCancellation { return nil }
                condition.lock()
                sessionProblem = error.description
                condition.unlock()
                publishStatus()
                if !cancellation.sleep(seconds: configuration.sessionRetrySeconds) { return nil }
            }
        }
    }

    /// Caller holds the lock.
    private func refreshIfDue(_ predictor: LLMPredictor) {
        let now = Date()
        if now.timeIntervalSince(lastDemonstrationRefresh) >= configuration.demonstrationRefreshSeconds {
            lastDemonstrationRefresh = now
            workQueue.async { try? predictor.refreshDemonstrations() }
        }
    }

    /// The items to keep predicted, in order: the UI's list, then the queue. Caller holds the lock.
    private func targetItems() -> [Int64] {
        updateAhead()
        var target: [Int64] = []
        var seen = Set<Int64>()
        for itemId in upcoming where seen.insert(itemId).inserted {
            target.append(itemId)
            if target.count >= ahead { return target }
        }
        let now = Date()
        if now.timeIntervalSince(queueFillAt) > 0.5 {
            queueFillAt = now
            condition.unlock()
            let open = (try? store.openItemIds(limit: ahead + upcoming.count)) ?? []
            condition.lock()
            queueFill = open
        }
        for itemId in queueFill where seen.insert(itemId).inserted {
            target.append(itemId)
            if target.count >= ahead { break }
        }
        return target
    }

    /// Caller holds the lock.
    private func updateAhead() {
        guard let pace = annotatorSecondsPerItem, let latency = Prefetcher.median(latencies) else { return }
        let itemsPerRequest = (latency / 1000) / max(pace, 0.01)
        let wanted = Int((2 * itemsPerRequest).rounded(.up)) + configuration.maxConcurrency
        ahead = min(configuration.maxAhead, max(configuration.minAhead, wanted))
    }

    // MARK: Workers

    private func predict(_ itemId: Int64, with predictor: LLMPredictor) {
        let outcome: Result<PredictionOutcome, Error>
        do {
            guard let item = try store.item(id: itemId) else {
                finish(itemId, settledWithout: true)
                return
            }
            let context = ScoringContext(cancellation: cancellation, onRetry: { [weak self] notice in
                self?.noteRetry(notice)
            })
            outcome = .success(try predictor.predict(item, context: context))
        } catch {
            outcome = .failure(error)
        }
        condition.lock()
        inFlight.remove(itemId)
        var handler: (@Sendable (Prediction) -> Void)?
        var delivered: Prediction?
        switch outcome {
        case .success(let result):
            switch result.kind {
            case .answered, .cached:
                settled.insert(itemId)
                predicted.insert(itemId)
                cooling[itemId] = nil
                itemProblems[itemId] = nil
                problem = nil
                retry = nil
                if result.kind == .answered { record(latency: result.prediction.latencyMs) }
                handler = predictionHandler
                delivered = result.prediction
            case .invalidAnswer:
                settled.insert(itemId)
                record(latency: result.prediction.latencyMs)
                problem = ("item \(itemId): \(result.reason ?? "invalid answer")", Date())
                itemProblems[itemId] = problem?.reason
            case .failed:
                let failures = (cooling[itemId]?.failures ?? 0) + 1
                let pause = configuration.failureCooldownSeconds * pow(2, Double(failures - 1))
                cooling[itemId] = (Date(timeIntervalSinceNow: min(pause, 600)), failures)
                problem = ("item \(itemId): \(result.reason ?? "failed")", Date())
                itemProblems[itemId] = problem?.reason
                retry = nil
            }
        case .failure(let error):
            if !((error as? LLMError)?.isCancellation ?? false) {
                cooling[itemId] = (Date(timeIntervalSinceNow: configuration.failureCooldownSeconds), 1)
                problem = ("item \(itemId): \(error)", Date())
            }
        }
        condition.broadcast()
        condition.unlock()
        if let handler, let delivered { handler(delivered) }
        publishStatus()
    }

    private func finish(_ itemId: Int64, settledWithout: Bool) {
        condition.lock()
        inFlight.remove(itemId)
        if settledWithout { settled.insert(itemId) }
        condition.broadcast()
        condition.unlock()
    }

    private func noteRetry(_ notice: RetryNotice) {
        condition.lock()
        retry = (notice, Date())
        condition.unlock()
        publishStatus()
    }

    /// Caller holds the lock.
    private func record(latency: Double) {
        latencies.append(latency)
        if latencies.count > 20 { latencies.removeFirst(latencies.count - 20) }
    }

    // MARK: Status

    /// The status as it stands now.
    public var status: LLMStatus {
        condition.lock()
        defer { condition.unlock() }
        return currentStatus()
    }

    /// Caller holds the lock.
    private func currentStatus() -> LLMStatus {
        guard session.isEnabled else { return .off }
        let median = Prefetcher.median(latencies)
        let depth = lastTarget.filter { $0 != screenItem && predicted.contains($0) }.count
        if let sessionProblem { return LLMStatus(state: .failing, reason: sessionProblem, queueDepth: 0) }
        if session.predictor == nil { return LLMStatus(state: .starting, reason: "starting the model", queueDepth: 0) }
        let now = Date()
        // The item on screen has no pre-label: say why for as long as it is there.
        if let screenItem, let reason = itemProblems[screenItem] {
            return LLMStatus(state: .failing, reason: reason, queueDepth: depth, medianLatencyMs: median)
        }
        if let problem, now.timeIntervalSince(problem.at) < configuration.problemDisplaySeconds {
            return LLMStatus(state: .failing, reason: problem.reason, queueDepth: depth, medianLatencyMs: median)
        }
        if let retry, now.timeIntervalSince(retry.at) < retry.notice.delaySeconds + 5, !inFlight.isEmpty {
            return LLMStatus(state: .slow, reason: retry.notice.description, queueDepth: depth, medianLatencyMs: median)
        }
        if let screenItem, !settled.contains(screenItem), cooling[screenItem] == nil {
            return LLMStatus(state: .slow, reason: "predicting the item on screen", queueDepth: depth, medianLatencyMs: median)
        }
        if latencies.isEmpty && !inFlight.isEmpty {
            return LLMStatus(state: .starting, reason: "first request in flight", queueDepth: depth, medianLatencyMs: median)
        }
        return LLMStatus(state: .ready, queueDepth: depth, medianLatencyMs: median)
    }

    private func publishStatus() {
        condition.lock()
        let status = currentStatus()
        let changed = status != lastStatus
        lastStatus = status
        let handler = statusHandler
        condition.unlock()
        if changed { handler?(status) }
    }

    private func publish(_ status: LLMStatus) {
        condition.lock()
        lastStatus = status
        let handler = statusHandler
        condition.unlock()
        handler?(status)
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
