import AnnottyCore
import Foundation

/// Where a bulk pre-labelling run stands.
public struct PrelabelProgress: Sendable, Equatable {
    public var total = 0
    public var done = 0
    /// Items that already had this model's prediction and were not asked again.
    public var skipped = 0
    public var cached = 0
    public var answered = 0
    public var invalid = 0
    public var failed = 0
    public var tokensIn = 0
    public var tokensOut = 0
    public var costUSD = 0.0
    public var elapsedSeconds = 0.0
    /// The last failure's reason, for the progress line.
    public var lastFailure: String?

    public init() {}

    /// Items per second over the items that needed the model (skipped ones are free).
    public var itemsPerSecond: Double {
        let worked = done - skipped
        return elapsedSeconds > 0 ? Double(worked) / elapsedSeconds : 0
    }

    public var etaSeconds: Double? {
        let rate = itemsPerSecond
        return rate > 0 ? Double(total - done) / rate : nil
    }
}

/// Pre-labels many items at once, headless: enough requests in flight to keep the server busy,
/// items already predicted by this model skipped (so an interrupted run resumes where it
/// stopped), and answers for the same prompt served from the cache.
public final class BulkPrelabeler: @unchecked Sendable {
    public let predictor: LLMPredictor
    public let store: any AnnotationStore
    public let concurrency: Int

    public init(predictor: LLMPredictor, store: any AnnotationStore, concurrency: Int) {
        self.predictor = predictor
        self.store = store
        self.concurrency = max(1, concurrency)
    }

    /// Predicts `itemIds`; `onProgress` is called after every item (from worker threads, one
    /// at a time). Returns the final tally; stops early when `cancellation` fires.
    public func run(itemIds: [Int64], cancellation: CancellationToken? = nil,
                    onProgress: @escaping @Sendable (PrelabelProgress) -> Void = { _ in }) throws -> PrelabelProgress {
        let started = DispatchTime.now()
        try predictor.refreshDemonstrations()
        let state = RunState()
        state.progress.total = itemIds.count

        state.pending = try BulkPrelabeler.pendingItems(itemIds, store: store, model: predictor.model)
        state.progress.skipped = itemIds.count - state.pending.count
        state.progress.done = state.progress.skipped
        onProgress(state.progress)

        // One serial queue per worker: each gets a thread of its own (concurrentPerform and
        // concurrent queues run no more blocking items at once than there are cores).
        let group = DispatchGroup()
        for worker in 0..<min(concurrency, max(1, state.pending.count)) {
            DispatchQueue(label: "annotty.prelabel.worker\(worker)").async(group: group) { [self] in
                work(state: state, cancellation: cancellation, started: started, onProgress: onProgress)
            }
        }
        group.wait()
        if let error = state.error { throw error }
        var final = state.progress
        final.elapsedSeconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return final
    }

    private func work(state: RunState, cancellation: CancellationToken?, started: DispatchTime,
                  onProgress: @escaping @Sendable (PrelabelProgress) -> Void) {
        while let itemId = state.take(cancellation: cancellation) {
            let outcome: PredictionOutcome?
            do {
                if let item = try store.item(id: itemId) {
                    outcome = try predictor.predict(item, context: ScoringContext(cancellation: cancellation))
                } else {
                    outcome = nil
                }
            } catch let error as LLMError where error.isCancellation {
                return
            } catch {
                state.fail(error)
                return
            }
            state.record(outcome, started: started, onProgress: onProgress)
        }
    }

    /// The items that still need `model`'s prediction (read in chunks), in the order given.
    public static func pendingItems(_ itemIds: [Int64], store: any AnnotationStore, model: String) throws -> [Int64] {
        var pending: [Int64] = []
        for start in stride(from: 0, to: itemIds.count, by: 500) {
            let chunk = Array(itemIds[start..<min(start + 500, itemIds.count)])
            let latest = try store.latestPredictions(itemIds: chunk)
            pending += chunk.filter { LLMPredictor.needsPrediction(latest: latest[$0], model: model) }
        }
        return pending
    }

    /// The run's shared tally; workers take items and record outcomes under its lock.
    private final class RunState: @unchecked Sendable {
        let lock = NSLock()
        var progress = PrelabelProgress()
        var pending: [Int64] = []
        var next = 0
        var error: Error?

        func take(cancellation: CancellationToken?) -> Int64? {
            lock.lock()
            defer { lock.unlock() }
            guard next < pending.count, error == nil, cancellation?.isCancelled != true else { return nil }
            next += 1
            return pending[next - 1]
        }

        func fail(_ failure: Error) {
            lock.lock()
            error = error ?? failure
            lock.unlock()
        }

        func record(_ outcome: PredictionOutcome?, started: DispatchTime, onProgress: (PrelabelProgress) -> Void) {
            lock.lock()
            defer { lock.unlock() }
            progress.done += 1
            if let outcome {
                switch outcome.kind {
                case .cached: progress.cached += 1
                case .answered: progress.answered += 1
                case .invalidAnswer: progress.invalid += 1
                case .failed:
                    progress.failed += 1
                    progress.lastFailure = outcome.reason
                }
                if outcome.kind != .cached {
                    progress.tokensIn += outcome.prediction.tokensIn
                    progress.tokensOut += outcome.prediction.tokensOut
                    progress.costUSD += outcome.prediction.costUSD
                }
            }
            progress.elapsedSeconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            onProgress(progress)
        }
    }
}
