import AnnottyCore
import AnnottyTUI
import Foundation
import Synchronization

/// Several annotators deciding at once on one database, as separate `annotty label` processes
/// would: each on its own thread with its own store instance (its own connections), looping
/// claim-next and record-decision, with the skips and undos of key-to-draw's key mix. Afterwards
/// the database is checked: every commit that returned is there once, and none that did not.
enum ConcurrentAnnotatorsBenchmark {
    struct AnnotatorResult: Sendable {
        var annotator: String
        /// recordDecision and undoLastDecision calls that returned: rows the database must hold.
        var committedRows = 0
        var commitMilliseconds: [Double] = []
        var claimMilliseconds: [Double] = []
        var failures: [String] = []
    }

    struct Result {
        var annotators: [AnnotatorResult]
        var seconds: Double
        /// Decision rows found afterwards for these annotators, and the problems the check found.
        var rowsFound: Int
        var problems: [String]

        var committedRows: Int { annotators.reduce(0) { $0 + $1.committedRows } }
        var decisionsPerSecond: Double { Double(committedRows) / seconds }
        var allCommitMilliseconds: [Double] { annotators.flatMap(\.commitMilliseconds) }
    }

    /// Runs `annotatorCount` annotators for `seconds`; `openStore` makes each one's own store.
    static func run(annotatorCount: Int, seconds: Double, runName: String,
                    openStore: @escaping @Sendable () throws -> any AnnotationStore) throws -> Result {
        let shared = SharedRun()
        let finished = DispatchGroup()
        // Every store is opened (connected, schema checked) before the clock starts, so the
        // figure is decisions, not connection set-up.
        let stores = try (0..<annotatorCount).map { _ in try openStore() }
        let startLine = DispatchSemaphore(value: 0)
        for (index, store) in stores.enumerated() {
            finished.enter()
            let annotator = "bench-\(runName)-\(index + 1)"
            let thread = Thread {
                startLine.wait()
                let result = annotate(store: store, annotator: annotator, until: shared.deadline.load(ordering: .acquiring))
                shared.results.withLock { $0.append(result) }
                finished.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        let start = DispatchTime.now().uptimeNanoseconds
        shared.deadline.store(start + UInt64(seconds * 1e9), ordering: .releasing)
        for _ in stores { startLine.signal() }
        finished.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let annotators = shared.results.withLock { $0 }.sorted { $0.annotator.localizedStandardCompare($1.annotator) == .orderedAscending }
        let (rowsFound, problems) = try verify(store: stores[0], annotators: annotators)
        return Result(annotators: annotators, seconds: elapsed, rowsFound: rowsFound, problems: problems)
    }

    /// What the annotators' threads share: when to stop, and where to leave their results.
    private final class SharedRun: Sendable {
        let deadline = Atomic<UInt64>(0)
        let results = Mutex<[AnnotatorResult]>([])
    }

    /// One annotator's loop: key-to-draw's key mix, where an undo brings the undone item back and
    /// the next key decides it again (as on the labeling screen).
    private static func annotate(store: any AnnotationStore, annotator: String, until deadline: UInt64) -> AnnotatorResult {
        var result = AnnotatorResult(annotator: annotator)
        let labels = ["positive", "negative", "neutral", "mixed"]
        var itemBackFromUndo: Int64?
        var keyIndex = 0
        while DispatchTime.now().uptimeNanoseconds < deadline {
            let key = KeyToDrawBenchmark.keyPattern[keyIndex % KeyToDrawBenchmark.keyPattern.count]
            keyIndex += 1
            do {
                if key == .character("u") {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let undone = try store.undoLastDecision(annotator: annotator)
                    result.commitMilliseconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                    if let undone {
                        result.committedRows += 1
                        itemBackFromUndo = undone.itemId
                    }
                    continue
                }
                let itemId: Int64
                if let back = itemBackFromUndo {
                    itemId = back
                    itemBackFromUndo = nil
                } else {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let claimed = try store.claimNextItems(annotator: annotator, limit: 1, excluding: [], leaseSeconds: 600)
                    result.claimMilliseconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                    guard let next = claimed.first else {
                        result.failures.append("the queue ran dry")
                        break
                    }
                    itemId = next.item.id
                }
                let decision: Decision
                switch key {
                case .enter: decision = Decision(itemId: itemId, annotator: annotator, kind: .accept, label: "positive")
                case .character("s"): decision = Decision(itemId: itemId, annotator: annotator, kind: .skip)
                case .character(let digit):
                    let label = labels[(Int(String(digit)) ?? 1) - 1]
                    decision = Decision(itemId: itemId, annotator: annotator, kind: label == "positive" ? .accept : .correct,
                                        label: label, shownLabel: "positive")
                default: continue
                }
                let start = DispatchTime.now().uptimeNanoseconds
                try store.recordDecision(decision)
                result.commitMilliseconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                result.committedRows += 1
            } catch {
                // A failed commit must leave no row; the check afterwards holds the store to that.
                result.failures.append(String(describing: error))
                if result.failures.count > 20 { break }
            }
        }
        return result
    }

    /// Rows found for these annotators must equal the commits that returned (none lost, none
    /// twice), and no annotator may hold two effective decisions on one item.
    private static func verify(store: any AnnotationStore, annotators: [AnnotatorResult]) throws -> (Int, [String]) {
        let names = Set(annotators.map(\.annotator))
        let rows = try store.allDecisions().filter { names.contains($0.annotator) }
        var problems: [String] = []
        let rowsByAnnotator = Dictionary(grouping: rows, by: \.annotator)
        for annotator in annotators where (rowsByAnnotator[annotator.annotator]?.count ?? 0) != annotator.committedRows {
            problems.append("\(annotator.annotator): \(annotator.committedRows) commits returned, "
                            + "\(rowsByAnnotator[annotator.annotator]?.count ?? 0) rows found")
        }
        var pairs = Set<String>()
        for decision in try store.effectiveDecisions() where names.contains(decision.annotator) {
            if !pairs.insert("\(decision.itemId) \(decision.annotator)").inserted {
                problems.append("item \(decision.itemId) decided twice by \(decision.annotator)")
            }
        }
        return (rows.count, problems)
    }
}
