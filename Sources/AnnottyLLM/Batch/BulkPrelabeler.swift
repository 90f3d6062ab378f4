import AnnottyCore
import Foundation
import Synchronization

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

/// Why a bulk run stopped before its items were done.
public enum BulkPrelabelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Several requests in a row could not reach the server at all.
    case endpointUnreachable(endpoint: String, failuresInARow: Int, reason: String)

    public var description: String {
        switch self {
        case .endpointUnreachable(let endpoint, let failures, let reason):
            let place = endpoint.isEmpty ? "the LLM endpoint" : "the LLM endpoint \(TerminalSafeText.singleLine(endpoint, limit: 120))"
            return "\(place) is unreachable (\(failures) requests in a row: \(reason)); stopped instead of trying every item. "
                + "Check base_url in [llm] of \(ProjectConfig.fileName) and that the server is running, then run the same command again."
        }
    }
}

/// Pre-labels many items at once, headless: enough requests in flight to keep the server busy,
/// items already predicted by this model skipped (so an interrupted run resumes where it
/// stopped), and answers for the same prompt served from the cache. When the server cannot be
/// reached at all for `unreachableLimit` items in a row, the run stops at once with
/// `BulkPrelabelError.endpointUnreachable` rather than failing every item in turn (300 items
/// against a closed port took minutes).
public final class BulkPrelabeler: Sendable {
    public let predictor: LLMPredictor
    public let store: any AnnotationStore
    public let concurrency: Int
    /// The base URL, for the message when it cannot be reached.
    public let endpoint: String
    public let unreachableLimit: Int

    public init(predictor: LLMPredictor, store: any AnnotationStore, concurrency: Int, endpoint: String = "",
                unreachableLimit: Int = 3) {
        self.predictor = predictor
        self.store = store
        self.concurrency = max(1, concurrency)
        self.endpoint = endpoint
        self.unreachableLimit = max(1, unreachableLimit)
    }

    /// Predicts `itemIds`; `onProgress` is called after every item (from worker threads, one
    /// at a time). Returns the final tally; stops early when `cancellation` fires.
    public func run(itemIds: [Int64], cancellation: CancellationToken? = nil,
                    onProgress: @escaping @Sendable (PrelabelProgress) -> Void = { _ in }) throws -> PrelabelProgress {
        let started = DispatchTime.now()
        try predictor.refreshDemonstrations()
        let pending = try BulkPrelabeler.pendingItems(itemIds, store: store, model: predictor.model)
        var initial = PrelabelProgress()
        initial.total = itemIds.count
        initial.skipped = itemIds.count - pending.count
        initial.done = initial.skipped
        let state = RunState(pending: pending, progress: initial)
        onProgress(initial)

        // One serial queue per worker: each gets a thread of its own (concurrentPerform and
        // concurrent queues run no more blocking items at once than there are cores).
        let group = DispatchGroup()
        for worker in 0..<min(concurrency, max(1, pending.count)) {
            DispatchQueue(label: "annotty.prelabel.worker\(worker)").async(group: group) { [self] in
                work(state: state, cancellation: cancellation, started: started, onProgress: onProgress)
            }
        }
        group.wait()
        var final = try state.finish()
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
            if case .transport(let failure)? = outcome?.failure, failure.meansUnreachable {
                state.noteUnreachable(failure, limit: unreachableLimit, endpoint: endpoint)
            } else if outcome?.kind != .cached {
                state.noteReached()
            }
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

    /// The run's shared tally; workers take items and record outcomes through its mutex.
    private final class RunState: Sendable {
        struct Tally {
            var progress: PrelabelProgress
            var pending: [Int64]
            var next = 0
            var error: (any Error)?
            var unreachableInARow = 0
        }

        private let tally: Mutex<Tally>

        init(pending: [Int64], progress: PrelabelProgress) {
            tally = Mutex(Tally(progress: progress, pending: pending))
        }

        func take(cancellation: CancellationToken?) -> Int64? {
            tally.withLock { tally in
                guard tally.next < tally.pending.count, tally.error == nil, cancellation?.isCancelled != true else { return nil }
                tally.next += 1
                return tally.pending[tally.next - 1]
            }
        }

        func fail(_ failure: any Error) {
            tally.withLock { $0.error = $0.error ?? failure }
        }

        func noteUnreachable(_ failure: HTTPFailure, limit: Int, endpoint: String) {
            tally.withLock { tally in
                tally.unreachableInARow += 1
                if tally.unreachableInARow >= limit && tally.error == nil {
                    tally.error = BulkPrelabelError.endpointUnreachable(endpoint: endpoint, failuresInARow: tally.unreachableInARow,
                                                                        reason: failure.description)
                }
            }
        }

        func noteReached() {
            tally.withLock { $0.unreachableInARow = 0 }
        }

        /// The tally, or the error that stopped the run.
        func finish() throws -> PrelabelProgress {
            let (progress, error) = tally.withLock { ($0.progress, $0.error) }
            if let error { throw error }
            return progress
        }

        func record(_ outcome: PredictionOutcome?, started: DispatchTime, onProgress: (PrelabelProgress) -> Void) {
            tally.withLock { tally in
                tally.progress.done += 1
                if let outcome {
                    switch outcome.kind {
                    case .cached: tally.progress.cached += 1
                    case .answered: tally.progress.answered += 1
                    case .invalidAnswer: tally.progress.invalid += 1
                    case .failed:
                        tally.progress.failed += 1
                        tally.progress.lastFailure = outcome.reason
                    }
                    if outcome.kind != .cached {
                        tally.progress.tokensIn += outcome.prediction.tokensIn
                        tally.progress.tokensOut += outcome.prediction.tokensOut
                        tally.progress.costUSD += outcome.prediction.costUSD
                    }
                }
                tally.progress.elapsedSeconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
                // Under the mutex so that progress reports arrive one at a time and in order.
                onProgress(tally.progress)
            }
        }
    }
}
