import AnnottyCore
import Foundation

/// The prefetcher's policy as a value: which items to keep predicted and in what order, how far
/// ahead, when a failed item or a failing endpoint is tried again, and what the status line
/// says. Pure: every input is an event carrying the time, every output an action the executor
/// (`Prefetcher`) performs, so each rule is a unit test with an injected clock.
///
/// The look-ahead N covers what the annotator gets through while one request is in flight
/// (twice over) plus one per concurrent request; it shrinks for a slow annotator so that items a
/// re-rank will push back are not paid for. Items are predicted in the order the screen gives
/// them (on-screen first), then in the queue's order.
///
/// When the model is slower than the person (a request takes longer than the person spends on
/// an item), the item on screen and the next one come before deep look-ahead: items further
/// ahead may hold at most `maxConcurrency - nearSlots` requests, so a slot is always free for
/// the item the person is looking at (after a jump, a re-rank, a skip) and it does not share the
/// machine with more look-ahead than that. A local model on a few cores computes the requests
/// in flight together, so each one more makes every one of them slower.
public struct PrefetchPlan: Sendable {
    public struct Configuration: Sendable, Equatable {
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
        /// After this many failed calls in a row (on any items) the endpoint itself is taken to
        /// be down: nothing is sent until a pause has passed, doubling while it stays down.
        public var endpointFailureLimit: Int

        public init(initialAhead: Int = 8, minAhead: Int = 2, maxAhead: Int = 64, maxConcurrency: Int = 4,
                    failureCooldownSeconds: Double = 15, problemDisplaySeconds: Double = 30,
                    demonstrationRefreshSeconds: Double = 20, sessionRetrySeconds: Double = 30,
                    endpointFailureLimit: Int = 3) {
            self.initialAhead = initialAhead
            self.minAhead = max(1, minAhead)
            self.maxAhead = max(self.minAhead, maxAhead)
            self.maxConcurrency = max(1, maxConcurrency)
            self.failureCooldownSeconds = failureCooldownSeconds
            self.problemDisplaySeconds = problemDisplaySeconds
            self.demonstrationRefreshSeconds = demonstrationRefreshSeconds
            self.sessionRetrySeconds = sessionRetrySeconds
            self.endpointFailureLimit = max(1, endpointFailureLimit)
        }

        public init(settings: LLMSettings) {
            let ahead = max(1, settings.prefetchAhead)
            var concurrency = settings.maxConcurrency
            if settings.provider == .local && settings.baseURL.isEmpty {
                // The local server annotty starts serves `local_parallel` requests at once and
                // queues the rest in arrival order: more in flight would only put look-ahead (and
                // each item's second probe) in front of the item on screen, at no gain in speed.
                concurrency = min(concurrency, max(1, settings.localParallel))
            }
            self.init(initialAhead: ahead, minAhead: min(ahead, max(1, concurrency)),
                      maxAhead: max(ahead * 4, 32), maxConcurrency: concurrency)
        }
    }

    /// How one request ended.
    public enum Outcome: Sendable, Equatable {
        /// A usable pre-label (answered or from the cache); the latency when a request was made.
        case predicted(latencyMs: Double?)
        /// An answer outside the label set: final for this prompt, never asked again.
        case invalidAnswer(reason: String, latencyMs: Double)
        /// The call failed; the item is tried again after a pause.
        case failed(reason: String)
        /// The item no longer exists.
        case missing
        /// Stopped on purpose: not a failure.
        case cancelled
    }

    public enum Event: Sendable, Equatable {
        /// The ids on screen and next in line, on-screen first.
        case upcoming([Int64], now: Double)
        /// The queue's order changed (a re-rank or a routing pass).
        case queueChanged(now: Double)
        /// The queue's front, as asked for by `.readQueueFront`.
        case queueFront([Int64], now: Double)
        /// What the store already holds for items asked about by `.lookUp`: the ids that need no
        /// request, and which of them carry a usable pre-label.
        case lookedUp([Int64], settled: Set<Int64>, usable: Set<Int64>, now: Double)
        case sessionStarted(now: Double)
        case sessionFailed(String, now: Double)
        case finished(Int64, Outcome, now: Double)
        /// A request is being retried after a pause (HTTP 429, a reset connection).
        case retrying(reason: String, delaySeconds: Double, now: Double)
        case tick(now: Double)
    }

    public enum Action: Sendable, Equatable {
        /// Start the model (the local server); answered by `.sessionStarted` or `.sessionFailed`.
        case startSession
        /// Read the first `limit` open items; answered by `.queueFront`.
        case readQueueFront(limit: Int)
        /// Look up stored predictions; answered by `.lookedUp`.
        case lookUp([Int64])
        /// Ask the model for one item; answered by `.finished`.
        case predict(Int64)
        /// Reload the labelled items that few-shot demonstrations come from.
        case refreshDemonstrations
        /// The status line changed.
        case publish(LLMStatus)
    }

    public let configuration: Configuration
    public private(set) var ahead: Int

    /// The item on screen and the next one: the items that keep slots of their own when the
    /// model is slower than the person.
    public static let nearSlots = 2

    private var sessionState: SessionState = .notStarted
    private var upcoming: [Int64] = []
    private var queueFront: [Int64] = []
    private var queueReadPending = false
    private var lastTarget: [Int64] = []
    private var screenItem: Int64?
    private var screenShownAt: Double = 0
    private var annotatorSecondsPerItem: Double?
    private var inFlight: Set<Int64> = []
    private var lookingUp: Set<Int64> = []
    private var lookedUp: Set<Int64> = []
    private var settled: Set<Int64> = []
    private var usable: Set<Int64> = []
    private var cooling: [Int64: (until: Double, failures: Int)] = [:]
    private var latencies: [Double] = []
    private var problem: (reason: String, at: Double)?
    /// Why an item has no pre-label, kept while it matters (the item on screen).
    private var itemProblems: [Int64: String] = [:]
    private var retry: (reason: String, delaySeconds: Double, at: Double)?
    private var failuresInARow = 0
    /// While the endpoint is taken to be down: nothing is sent before this time.
    private var endpointPausedUntil: Double?
    private var endpointPauses = 0
    private var lastDemonstrationRefresh: Double = 0
    private var lastPublished: LLMStatus?
    private var hasBeenReady = false

    private enum SessionState: Equatable {
        case notStarted
        case starting
        case failed(String, retryAt: Double)
        case ready
    }

    public init(configuration: Configuration) {
        self.configuration = configuration
        ahead = configuration.initialAhead
    }

    /// The first actions: start the model and read the queue.
    public mutating func start(now: Double) -> [Action] {
        sessionState = .starting
        // Events taken before the start (the screen's items) asked for reads nobody performed.
        queueReadPending = false
        lookingUp.removeAll()
        lastPublished = nil
        var actions: [Action] = [.startSession]
        actions += requestQueueFront()
        actions += publishIfChanged(now: now)
        return actions
    }

    public mutating func handle(_ event: Event) -> [Action] {
        var actions: [Action] = []
        let now: Double
        switch event {
        case .upcoming(let ids, let at):
            now = at
            if let first = ids.first, first != screenItem {
                if screenItem != nil {
                    let interval = now - screenShownAt
                    // Pauses (a coffee, the guidelines) say nothing about the working pace.
                    if interval > 0, interval < 600 {
                        annotatorSecondsPerItem = annotatorSecondsPerItem.map { 0.7 * $0 + 0.3 * interval } ?? interval
                    }
                }
                screenItem = first
                screenShownAt = now
            }
            upcoming = ids
            actions += requestQueueFront()
        case .queueChanged(let at):
            now = at
            actions += requestQueueFront()
        case .queueFront(let ids, let at):
            now = at
            queueReadPending = false
            queueFront = ids
        case .lookedUp(let ids, let settledIds, let usableIds, let at):
            now = at
            for id in ids {
                lookingUp.remove(id)
                lookedUp.insert(id)
            }
            settled.formUnion(settledIds)
            usable.formUnion(usableIds)
        case .sessionStarted(let at):
            now = at
            sessionState = .ready
            lastDemonstrationRefresh = now
        case .sessionFailed(let reason, let at):
            now = at
            sessionState = .failed(reason, retryAt: now + configuration.sessionRetrySeconds)
        case .finished(let itemId, let outcome, let at):
            now = at
            inFlight.remove(itemId)
            finished(itemId, outcome, now: now)
        case .retrying(let reason, let delay, let at):
            now = at
            retry = (reason, delay, now)
        case .tick(let at):
            now = at
            if case .failed(_, let retryAt) = sessionState, now >= retryAt {
                sessionState = .starting
                actions.append(.startSession)
            }
            if sessionState == .ready, now - lastDemonstrationRefresh >= configuration.demonstrationRefreshSeconds {
                lastDemonstrationRefresh = now
                actions.append(.refreshDemonstrations)
            }
        }
        actions += dispatch(now: now)
        actions += publishIfChanged(now: now)
        return actions
    }

    /// The status as it stands at `now`, in priority order: the model not running, the item on
    /// screen without a pre-label and why, a recent failure, a retry, the item on screen still
    /// being predicted, the first request, ready.
    public func status(now: Double) -> LLMStatus {
        let median = Self.median(latencies)
        let depth = lastTarget.filter { $0 != screenItem && usable.contains($0) }.count
        switch sessionState {
        case .failed(let reason, _): return LLMStatus(state: .failing, reason: reason)
        case .notStarted, .starting: return LLMStatus(state: .starting, reason: "starting the model")
        case .ready: break
        }
        if let until = endpointPausedUntil, now < until, let problem {
            let wait = Int((until - now).rounded(.up))
            return LLMStatus(state: .failing, reason: "\(problem.reason); trying again in \(wait) s",
                             queueDepth: depth, medianLatencyMs: median)
        }
        if let screenItem, let reason = itemProblems[screenItem] {
            return LLMStatus(state: .failing, reason: reason, queueDepth: depth, medianLatencyMs: median)
        }
        if let problem, now - problem.at < configuration.problemDisplaySeconds {
            return LLMStatus(state: .failing, reason: problem.reason, queueDepth: depth, medianLatencyMs: median)
        }
        if let retry, now - retry.at < retry.delaySeconds + 5, !inFlight.isEmpty {
            let description = "\(retry.reason), retrying in \(Self.format(retry.delaySeconds)) s"
            return LLMStatus(state: .slow, reason: description, queueDepth: depth, medianLatencyMs: median)
        }
        if let screenItem, !settled.contains(screenItem), cooling[screenItem] == nil, lookedUp.contains(screenItem) {
            return LLMStatus(state: .slow, reason: "predicting the item on screen", queueDepth: depth, medianLatencyMs: median)
        }
        // Before the first answer, while items wait for one, the model is still starting; once
        // ready, the status never goes back to "starting".
        let waitingForWork = queueReadPending || !lookingUp.isEmpty
            || lastTarget.contains(where: { !settled.contains($0) && cooling[$0] == nil })
        if latencies.isEmpty, !hasBeenReady, waitingForWork {
            return LLMStatus(state: .starting, reason: "first request in flight", queueDepth: depth, medianLatencyMs: median)
        }
        return LLMStatus(state: .ready, queueDepth: depth, medianLatencyMs: median)
    }

    /// The items it keeps predicted, in order.
    public var target: [Int64] { lastTarget }
    public var requestsInFlight: Set<Int64> { inFlight }
    /// The annotator's measured pace, seconds per item.
    public var annotatorPace: Double? { annotatorSecondsPerItem }

    /// Whether one request (the median of the recent ones) takes longer than the person spends
    /// on an item; false until both have been measured.
    public var modelIsSlowerThanAnnotator: Bool {
        guard let pace = annotatorSecondsPerItem, let latency = Self.median(latencies) else { return false }
        return latency / 1000 > pace
    }

    // MARK: Rules

    private mutating func finished(_ itemId: Int64, _ outcome: Outcome, now: Double) {
        switch outcome {
        case .predicted(let latency):
            settled.insert(itemId)
            usable.insert(itemId)
            cooling[itemId] = nil
            itemProblems[itemId] = nil
            problem = nil
            retry = nil
            failuresInARow = 0
            endpointPausedUntil = nil
            endpointPauses = 0
            if let latency { record(latency: latency) }
        case .invalidAnswer(let reason, let latency):
            settled.insert(itemId)
            record(latency: latency)
            failuresInARow = 0
            let text = "item \(itemId): invalid answer: \(reason)"
            problem = (text, now)
            itemProblems[itemId] = text
        case .failed(let reason):
            let failures = (cooling[itemId]?.failures ?? 0) + 1
            let pause = configuration.failureCooldownSeconds * pow(2, Double(failures - 1))
            cooling[itemId] = (now + min(pause, 600), failures)
            let text = "item \(itemId): \(reason)"
            problem = (text, now)
            itemProblems[itemId] = text
            retry = nil
            failuresInARow += 1
            // On probation after a pause, one more failure pauses again.
            if failuresInARow >= configuration.endpointFailureLimit || endpointPausedUntil != nil {
                // Several calls in a row failed: the endpoint, not the items, is the problem.
                endpointPauses += 1
                let pause = configuration.failureCooldownSeconds * pow(2, Double(endpointPauses - 1))
                endpointPausedUntil = now + min(pause, 300)
                failuresInARow = 0
            }
        case .missing:
            settled.insert(itemId)
        case .cancelled:
            break
        }
    }

    private mutating func record(latency: Double) {
        latencies.append(latency)
        if latencies.count > 20 { latencies.removeFirst(latencies.count - 20) }
    }

    private mutating func requestQueueFront() -> [Action] {
        guard !queueReadPending else { return [] }
        queueReadPending = true
        return [.readQueueFront(limit: ahead + upcoming.count)]
    }

    private mutating func updateAhead() {
        guard let pace = annotatorSecondsPerItem, let latency = Self.median(latencies) else { return }
        let itemsPerRequest = (latency / 1000) / max(pace, 0.01)
        let wanted = Int((2 * itemsPerRequest).rounded(.up)) + configuration.maxConcurrency
        ahead = min(configuration.maxAhead, max(configuration.minAhead, wanted))
    }

    /// The items to keep predicted, in order: the screen's list, then the queue.
    private mutating func computeTarget() -> [Int64] {
        updateAhead()
        var target: [Int64] = []
        var seen = Set<Int64>()
        for itemId in upcoming + queueFront where seen.insert(itemId).inserted {
            target.append(itemId)
            if target.count >= ahead { break }
        }
        return target
    }

    private mutating func dispatch(now: Double) -> [Action] {
        let target = computeTarget()
        lastTarget = target
        var actions: [Action] = []
        let unknown = target.filter { !lookedUp.contains($0) && !lookingUp.contains($0) }
        if !unknown.isEmpty {
            lookingUp.formUnion(unknown)
            actions.append(.lookUp(unknown))
        }
        guard sessionState == .ready else { return actions }
        if let until = endpointPausedUntil, now < until { return actions }
        // A slow model keeps slots for the item on screen and the next: look-ahead (and requests
        // for items the person has already passed) may hold only the rest.
        let near = Set(target.prefix(Self.nearSlots))
        let deepLimit = modelIsSlowerThanAnnotator
            ? max(0, configuration.maxConcurrency - Self.nearSlots) : configuration.maxConcurrency
        var deepInFlight = inFlight.subtracting(near).count
        for itemId in target where inFlight.count < configuration.maxConcurrency {
            guard lookedUp.contains(itemId), !settled.contains(itemId), !inFlight.contains(itemId) else { continue }
            if let cool = cooling[itemId], cool.until > now { continue }
            if !near.contains(itemId) {
                guard deepInFlight < deepLimit else { break }
                deepInFlight += 1
            }
            inFlight.insert(itemId)
            actions.append(.predict(itemId))
            // One request at a time while the endpoint is on probation after a pause.
            if endpointPausedUntil != nil { break }
        }
        return actions
    }

    private mutating func publishIfChanged(now: Double) -> [Action] {
        let status = status(now: now)
        if status.state == .ready { hasBeenReady = true }
        guard status != lastPublished else { return [] }
        lastPublished = status
        return [.publish(status)]
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func format(_ seconds: Double) -> String {
        let rounded = (seconds * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
