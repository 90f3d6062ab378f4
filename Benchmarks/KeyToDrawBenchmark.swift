import AnnottyCore
import AnnottyTUI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Time from a key press to the next item fully drawn, on a project of N items (default
/// 1,000,000): the reducer, the store's commit (SQLite, WAL, synchronous=FULL, so an fsync per
/// decision) and the render, through ncurses to /dev/null and to the in-memory screen.
/// Work done after the item is drawn (refilling the look-ahead, hooks) is timed apart.
///
///     swift run -c release annotty-bench key-to-draw [ITEMS] [KEYS] [--size COLUMNSxROWS] [--db PATH]
enum KeyToDrawBenchmark {
    static func run(_ arguments: [String]) throws {
        var positional: [String] = []
        var databasePath: String?
        var size = ScreenSize(rows: 24, columns: 80)
        var index = 0
        while index < arguments.count {
            if arguments[index] == "--db", index + 1 < arguments.count {
                databasePath = arguments[index + 1]
                index += 2
            } else if arguments[index] == "--size", index + 1 < arguments.count {
                let parts = arguments[index + 1].split(separator: "x").compactMap { Int($0) }
                if parts.count == 2 { size = ScreenSize(rows: parts[1], columns: parts[0]) }
                index += 2
            } else {
                positional.append(arguments[index])
                index += 1
            }
        }
        let itemCount = positional.first.flatMap(Int.init) ?? 1_000_000
        let keyCount = positional.dropFirst().first.flatMap(Int.init) ?? 2_000
        let path = databasePath ?? ".build/bench/key-to-draw-\(itemCount).sqlite"
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        let store = try SQLiteStore(path: path)
        try fill(store, to: itemCount)
        let counts = try store.statusCounts()
        print("key-to-draw benchmark: \(counts.items) items (\(counts.open) open) in \(path)")
        guard counts.open >= keyCount * 2 + 100 else {
            print("  too few open items left for \(keyCount) keys; delete \(path) to start over")
            return
        }

        let offscreen = try OffscreenTerminal(size: size)
        let ncurses = try measure(store: store, labels: labels, screen: offscreen.screen, keys: keyCount, name: "ncurses to /dev/null")
        offscreen.close()
        let memory = try measure(store: store, labels: labels, screen: MemoryScreen(size: size), keys: keyCount, name: "memory screen")
        let commits = try measureCommits(store: store, count: min(keyCount, 500))
        print("  commit alone (recordDecision, one transaction with fsync): " + summary(commits))
        for result in [ncurses, memory] {
            print("  \(result.name), \(size), \(keyCount) keys (accept, correct, skip, undo):")
            print("    key to next item drawn: " + summary(result.keyToDraw))
            print("    same, on-CPU time only: " + summary(result.keyToDrawCPU))
            print("    of which rendering:     " + summary(result.render))
            print("    after drawing (refill, hooks): " + summary(result.afterDraw))
        }
    }

    struct Result {
        var name: String
        var keyToDraw: [Double]
        /// CPU time of this thread over the same span: what the key costs without waiting for
        /// the disk or for other processes on a busy machine.
        var keyToDrawCPU: [Double]
        var render: [Double]
        var afterDraw: [Double]
    }

    /// The labels of the benchmark's projects, keys 1 to 4.
    static let labels = LabelSet([Label(name: "positive", key: "1"), Label(name: "negative", key: "2"),
                                  Label(name: "neutral", key: "3"), Label(name: "mixed", key: "4")])

    /// A fixed mix of what people press: mostly accepting, some corrections and skips, an undo.
    static let keyPattern: [KeyPress] = [.enter, .character("2"), .enter, .character("s"), .character("3"), .enter,
                                         .character("1"), .character("u"), .enter, .character("4")]

    /// Works on any store, so that SQLite and PostgreSQL are timed through the same path (`stores`).
    static func measure(store: any AnnotationStore, labels: LabelSet, screen: any Screen, keys: Int, name: String) throws -> Result {
        // Pre-labels for the items about to be shown, as the prefetcher would have saved them.
        for itemId in try store.openItemIds(limit: keys + 64) {
            try store.savePrediction(Prediction(itemId: itemId, model: "bench", label: "positive",
                                                probabilities: ["positive": 0.8, "negative": 0.1, "neutral": 0.05, "mixed": 0.05]))
        }
        let keymap = try Keymap(labels: labels)
        let setup = LabelingSetup(projectName: "benchmark", annotator: "bench-\(getpid())-\(name.count)", labels: labels,
                                  keymap: keymap, lookahead: 8)
        let session = LabelingSession(store: store, setup: setup)
        // Status counts are re-read in the background, as in `annotty label`.
        let controller = LabelingController(session: session, screen: screen,
                                            countsQueue: DispatchQueue(label: "bench.counts", qos: .utility))
        controller.start()
        controller.renderIfNeeded()
        controller.runDeferred()
        var result = Result(name: name, keyToDraw: [], keyToDrawCPU: [], render: [], afterDraw: [])
        for index in 0..<keys {
            let key = keyPattern[index % keyPattern.count]
            let startCPU = threadCPUNanoseconds()
            let start = DispatchTime.now().uptimeNanoseconds
            controller.handleKey(key)
            let beforeRender = DispatchTime.now().uptimeNanoseconds
            controller.renderIfNeeded()
            let drawn = DispatchTime.now().uptimeNanoseconds
            result.keyToDrawCPU.append(Double(threadCPUNanoseconds() - startCPU) / 1e6)
            controller.runDeferred()
            controller.renderIfNeeded()
            let settled = DispatchTime.now().uptimeNanoseconds
            result.keyToDraw.append(Double(drawn - start) / 1e6)
            result.render.append(Double(drawn - beforeRender) / 1e6)
            result.afterDraw.append(Double(settled - drawn) / 1e6)
        }
        controller.handleKey(.character("q"))
        return result
    }

    /// The store's commit on its own: skip decisions on open items by a throwaway annotator.
    static func measureCommits(store: any AnnotationStore, count: Int) throws -> [Double] {
        let annotator = "bench-commit-\(getpid())"
        var times: [Double] = []
        for itemId in try store.openItemIds(limit: count) {
            let start = DispatchTime.now().uptimeNanoseconds
            try store.recordDecision(Decision(itemId: itemId, annotator: annotator, kind: .skip))
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return times
    }

    static func threadCPUNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    static func summary(_ milliseconds: [Double]) -> String {
        String(format: "median %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms", percentile(milliseconds, 0.5),
               percentile(milliseconds, 0.9), percentile(milliseconds, 0.99), milliseconds.max() ?? 0)
    }

    /// The nearest-rank percentile (`p` from 0 to 1); 0 for no values.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[max(0, min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
    }

    /// Adds review-like items until the store holds `count`.
    static func fill(_ store: SQLiteStore, to count: Int) throws {
        let existing = try store.statusCounts().items
        guard existing < count else { return }
        let words = ["battery", "screen", "works", "great", "broke", "after", "a", "week", "the", "delivery", "was",
                     "late", "but", "sound", "quality", "is", "excellent", "cheap", "plastic", "would", "buy", "again",
                     "not", "worth", "price", "café", "très", "bien", "좋아요", "とても"]
        let start = Date()
        var state: UInt64 = 0x9E3779B97F4A7C15
        _ = try store.importItems { sink in
            for index in existing..<count {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let length = 8 + Int(state >> 58)
                var text = "review \(index):"
                for offset in 0..<length { text += " " + words[Int((state >> UInt64(offset % 50)) % UInt64(words.count))] }
                try sink.add(ImportRecord(externalId: "k\(index)", text: text))
            }
        }
        print(String(format: "  created %d items in %.1f s", count - existing, Date().timeIntervalSince(start)))
    }
}
