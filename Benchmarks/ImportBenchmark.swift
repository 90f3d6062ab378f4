import AnnottyCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Imports a generated JSONL file of N lines (default 1,000,000) into a fresh project and
/// reports items per second and the process's peak resident memory.
enum ImportBenchmark {
    static func run(_ arguments: [String]) throws {
        let lines = arguments.first.flatMap(Int.init) ?? 1_000_000
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-import-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataPath = folder.appendingPathComponent("items.jsonl").path
        try generate(lines: lines, to: dataPath)
        let rssBeforeImport = peakResidentMegabytes()

        let store = try SQLiteStore(path: folder.appendingPathComponent("annotty.sqlite").path)
        let start = Date()
        let cpuStart = cpuSeconds()
        let report = try Importer(store: store).importFile(at: dataPath, options: ImportOptions(format: .jsonl))
        let seconds = Date().timeIntervalSince(start)
        let cpu = cpuSeconds() - cpuStart
        let rate = Double(report.summary.inserted) / seconds
        print("import benchmark: \(lines) JSONL lines")
        print(String(format: "  inserted %d, duplicates %d in %.2f s: %.0f items/s", report.summary.inserted,
                     report.summary.duplicates, seconds, rate))
        // CPU time is what the import itself spent, whatever else the machine was doing.
        print(String(format: "  CPU time %.2f s: %.0f items per CPU-second", cpu, Double(report.summary.inserted) / cpu))
        print(String(format: "  peak resident memory %.0f MB (%.0f MB before the import started)",
                     peakResidentMegabytes(), rssBeforeImport))
    }

    /// Review-like lines of varied length with an id and one metadata field, written streaming.
    static func generate(lines: Int, to path: String) throws {
        let words = ["battery", "screen", "works", "great", "broke", "after", "a", "week", "the", "delivery", "was",
                     "late", "but", "sound", "quality", "is", "excellent", "cheap", "plastic", "would", "buy", "again",
                     "not", "worth", "price", "café", "très", "bien", "좋아요", "とても"]
        let output = try BufferedOutput(path: path)
        var state: UInt64 = 0x9E3779B97F4A7C15
        for index in 0..<lines {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let count = 8 + Int(state >> 59)
            var text = "item \(index):"
            for offset in 0..<count { text += " " + words[Int((state >> UInt64(offset % 50)) % UInt64(words.count))] }
            output.write("{\"id\":\"b\(index)\",\"text\":\(JSONText.quote(text)),\"stars\":\(index % 5 + 1)}\n")
        }
        try output.close()
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
    }

    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
