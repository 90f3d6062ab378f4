import AnnottyCore
import AnnottyLLM
import Dispatch
import Foundation
import Synchronization

/// Keeps the items on screen and next in line predicted, in the background, so that the
/// annotator finds a pre-label waiting. The policy (which items, how far ahead, when to try a
/// failed item or a failing endpoint again, what the status says) is `PrefetchPlan`, a value;
/// this type only performs the plan's actions on threads and feeds their results back to it as
/// events. Nothing here blocks the caller: `setUpcoming`, `queueChanged`, `start` and `stop`
/// take a lock briefly.
///
/// `onPrediction` receives usable predictions only (never an invalid answer or a failure), as
/// the store saved them (calibrated), from background threads: post them to the UI's inbox.
public final class Prefetcher: Sendable {
    public typealias Configuration = PrefetchPlan.Configuration

    public let session: LLMSession
    public let store: any AnnotationStore
    public let configuration: Configuration

    private let plan: Mutex<PrefetchPlan>
    private let handlers = Mutex<Handlers>(Handlers())
    private let running = Mutex(false)
    private let clock: @Sendable () -> Double
    private let tickInterval: Double?
    private let cancellation = CancellationToken()
    /// One serial queue per request slot. Serial queues get threads of their own, while a
    /// concurrent queue on Linux runs no more blocking work items at once than there are
    /// cores (two requests on a two-core machine, whatever the configured concurrency).
    private let lanes: [DispatchQueue]
    private let freeLanes: Mutex<[Int]>
    /// Store look-ups and demonstration reloads.
    private let workQueue = DispatchQueue(label: "annotty.prefetch.work")
    /// Starting the model can take seconds (a local server): never in front of look-ups.
    private let sessionQueue = DispatchQueue(label: "annotty.prefetch.session")

    private struct Handlers {
        var prediction: (@Sendable (Prediction) -> Void)?
        var status: (@Sendable (LLMStatus) -> Void)?
    }

    /// - Parameters:
    ///   - clock: monotonic seconds; tests inject their own.
    ///   - tickInterval: how often time is let pass in the plan (retries after a pause); nil
    ///     for none (tests call `tick()`).
    public init(session: LLMSession, store: any AnnotationStore, configuration: Configuration? = nil,
                clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime },
                tickInterval: Double? = 1) {
        self.session = session
        self.store = store
        let configuration = configuration ?? Configuration(settings: session.settings)
        self.configuration = configuration
        self.plan = Mutex(PrefetchPlan(configuration: configuration))
        self.clock = clock
        self.tickInterval = tickInterval
        self.lanes = (0..<configuration.maxConcurrency).map { DispatchQueue(label: "annotty.prefetch.lane\($0)") }
        self.freeLanes = Mutex(Array((0..<configuration.maxConcurrency).reversed()))
    }

    /// Called with each usable prediction, on a background thread.
    public var onPrediction: (@Sendable (Prediction) -> Void)? {
        get { handlers.withLock { $0.prediction } }
        set { handlers.withLock { $0.prediction = newValue } }
    }

    /// Called when the status changes, on a background thread, in order.
    public var onStatus: (@Sendable (LLMStatus) -> Void)? {
        get { handlers.withLock { $0.status } }
        set { handlers.withLock { $0.status = newValue } }
    }

    /// The items on screen and next in line, the on-screen one first. Cheap; call it whenever
    /// the list changes.
    public func setUpcoming(_ itemIds: [Int64]) {
        send(.upcoming(itemIds, now: clock()))
    }

    /// The queue was re-ranked or routed: read its front again.
    public func queueChanged() {
        send(.queueChanged(now: clock()))
    }

    /// Lets time pass in the plan (a paused item or endpoint may be tried again).
    public func tick() {
        send(.tick(now: clock()))
    }

    public func start() {
        let alreadyRunning = running.withLock { running in
            defer { running = true }
            return running
        }
        guard !alreadyRunning else { return }
        guard session.isEnabled else {
            onStatus?(.off)
            return
        }
        let actions = plan.withLock { plan in
            let actions = plan.start(now: clock())
            publish(actions)
            return actions
        }
        perform(actions)
        scheduleTick()
    }

    /// Lets time pass in the plan every `tickInterval` while running.
    private func scheduleTick() {
        guard let tickInterval else { return }
        workQueue.asyncAfter(deadline: .now() + tickInterval) { [weak self] in
            guard let self, running.withLock({ $0 }) else { return }
            tick()
            scheduleTick()
        }
    }

    /// Stops predicting; requests in flight are abandoned within about a second. Does not stop
    /// the session's local server (the session owns it).
    public func stop() {
        running.withLock { $0 = false }
        cancellation.cancel()
    }

    /// Current N: how many items ahead are kept predicted.
    public var currentAhead: Int { plan.withLock { $0.ahead } }

    /// The status as it stands now.
    public var status: LLMStatus {
        guard session.isEnabled else { return .off }
        return plan.withLock { $0.status(now: clock()) }
    }

    // MARK: Performing the plan

    private func send(_ event: PrefetchPlan.Event) {
        guard running.withLock({ $0 }) else {
            // Before the start the plan still learns what the screen shows, so that those items
            // go first once it starts; nothing is performed yet.
            if case .upcoming = event { plan.withLock { _ = $0.handle(event) } }
            return
        }
        let actions = plan.withLock { plan in
            let actions = plan.handle(event)
            // Published under the lock, so statuses reach the screen in the order they arose.
            publish(actions)
            return actions
        }
        perform(actions)
    }

    private func publish(_ actions: [PrefetchPlan.Action]) {
        for case .publish(let status) in actions { handlers.withLock { $0.status }?(status) }
    }

    private func perform(_ actions: [PrefetchPlan.Action]) {
        for action in actions {
            switch action {
            case .startSession:
                sessionQueue.async { [self] in startSession() }
            case .readQueueFront(let limit):
                workQueue.async { [self] in
                    let ids = (try? store.openItemIds(limit: limit)) ?? []
                    send(.queueFront(ids, now: clock()))
                }
            case .lookUp(let ids):
                workQueue.async { [self] in lookUp(ids) }
            case .predict(let itemId):
                guard let lane = freeLanes.withLock({ $0.popLast() }) else {
                    // The plan never has more requests in flight than there are lanes.
                    send(.finished(itemId, .failed(reason: "no free request slot"), now: clock()))
                    continue
                }
                lanes[lane].async { [self] in
                    let outcome = predict(itemId)
                    freeLanes.withLock { $0.append(lane) }
                    send(.finished(itemId, outcome, now: clock()))
                }
            case .refreshDemonstrations:
                workQueue.async { [self] in try? session.predictor?.refreshDemonstrations() }
            case .publish:
                break
            }
        }
    }

    private func startSession() {
        do {
            try session.start(cancellation: cancellation)
            send(.sessionStarted(now: clock()))
        } catch {
            if error.isCancellation { return }
            send(.sessionFailed(error.description, now: clock()))
        }
    }

    /// Which of these items already have this model's answer in the store; the usable ones go
    /// to the screen.
    private func lookUp(_ ids: [Int64]) {
        let latest = (try? store.latestPredictions(itemIds: ids)) ?? [:]
        var settled = Set<Int64>()
        var usable = Set<Int64>()
        let model = session.settings.model
        for itemId in ids {
            guard let prediction = latest[itemId], !LLMPredictor.needsPrediction(latest: prediction, model: model) else { continue }
            settled.insert(itemId)
            if prediction.isValid {
                usable.insert(itemId)
                onPrediction?(prediction)
            }
        }
        send(.lookedUp(ids, settled: settled, usable: usable, now: clock()))
    }

    private func predict(_ itemId: Int64) -> PrefetchPlan.Outcome {
        guard let predictor = session.predictor else { return .failed(reason: "the model is not running") }
        do {
            guard let item = try store.item(id: itemId) else { return .missing }
            let context = ScoringContext(cancellation: cancellation, onRetry: { [weak self] notice in
                guard let self else { return }
                send(.retrying(reason: notice.reason, delaySeconds: notice.delaySeconds, now: clock()))
            })
            let result = try predictor.predict(item, context: context)
            switch result.kind {
            case .answered:
                onPrediction?(result.prediction)
                return .predicted(latencyMs: result.prediction.latencyMs)
            case .cached:
                onPrediction?(result.prediction)
                return .predicted(latencyMs: nil)
            case .invalidAnswer:
                return .invalidAnswer(reason: result.prediction.error ?? "", latencyMs: result.prediction.latencyMs)
            case .failed:
                return .failed(reason: result.reason ?? "failed")
            }
        } catch let error as LLMError where error.isCancellation {
            return .cancelled
        } catch {
            return .failed(reason: String(describing: error))
        }
    }
}
