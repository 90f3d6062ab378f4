import AnnottyCore
import AnnottyPostgres
import AnnottyTUI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// SQLite and PostgreSQL side by side in one run, on the same machine and load: import speed,
/// key press to next item drawn (KeyToDrawBenchmark's path: reducer, the store's commit, render
/// to the in-memory screen) and decisions per second with many annotators at once.
///
///     annotty-bench stores --postgres URL [--password-env PGPASSWORD] [--items 100000] [--keys 1000]
///                          [--annotators 16] [--seconds 30]
///
/// URL names an empty PostgreSQL database (`createdb NAME`); the password is read from the
/// environment variable --password-env names. SQLite's file is made afresh under .build/bench/.
enum StoreComparisonBenchmark {
    struct Options {
        var postgresURL: String?
        var passwordEnv = "PGPASSWORD"
        var items = 100_000
        var keys = 1_000
        var annotators = 16
        var seconds = 30.0
    }

    struct StoreFigures {
        var store: String
        var importItemsPerSecond: Double
        var keyToDraw: KeyToDrawBenchmark.Result
        var commitAlone: [Double]
        var concurrent: ConcurrentAnnotatorsBenchmark.Result
    }

    static let usage = """
        usage: annotty-bench stores --postgres postgresql://USER@HOST:PORT/EMPTY_DATABASE [--password-env PGPASSWORD]
                                    [--items 100000] [--keys 1000] [--annotators 16] [--seconds 30]
        """

    static func run(_ arguments: [String]) throws {
        guard let options = parse(arguments), let url = options.postgresURL else {
            print(usage)
            exit(2)
        }
        let location = try PostgresLocation(url: url, passwordEnv: options.passwordEnv)
        let postgres = try PostgresStore(location: location)
        // The figures are for a fresh project, and the run writes thousands of decisions: a
        // database that holds a project already is never the one to use.
        let existingItems = try postgres.statusCounts().items
        guard existingItems == 0 else {
            print("refusing \(location.description): it holds \(existingItems) items. "
                  + "Name an empty database (createdb NAME) made for this benchmark.")
            exit(2)
        }
        let sqlitePath = ".build/bench/stores-\(options.items).sqlite"
        try FileManager.default.createDirectory(atPath: ".build/bench", withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-stores-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataPath = folder.appendingPathComponent("items.jsonl").path
        try ImportBenchmark.generate(lines: options.items, to: dataPath)

        print("stores benchmark: \(options.items) items, \(options.keys) keys, \(options.annotators) annotators for "
              + "\(Int(options.seconds)) s; load average at start \(loadAverage())")
        let sqlite = try measure(name: "SQLite", label: sqlitePath, store: try SQLiteStore(path: sqlitePath),
                                 dataPath: dataPath, options: options) { try SQLiteStore(path: sqlitePath) }
        let postgresFigures = try measure(name: "PostgreSQL", label: location.description, store: postgres,
                                          dataPath: dataPath, options: options) { try PostgresStore(location: location) }
        print("load average at end \(loadAverage())")
        print("")
        printTable([sqlite, postgresFigures], annotators: options.annotators)
    }

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var index = 0
        while index < arguments.count {
            guard index + 1 < arguments.count else { return nil }
            let value = arguments[index + 1]
            switch arguments[index] {
            case "--postgres": options.postgresURL = value
            case "--password-env": options.passwordEnv = value
            case "--items": guard let items = Int(value) else { return nil }; options.items = items
            case "--keys": guard let keys = Int(value) else { return nil }; options.keys = keys
            case "--annotators": guard let count = Int(value) else { return nil }; options.annotators = count
            case "--seconds": guard let seconds = Double(value) else { return nil }; options.seconds = seconds
            default: return nil
            }
            index += 2
        }
        return options
    }

    /// The three measurements on one store, printed as they finish (a run cut short keeps what it had).
    static func measure(name: String, label: String, store: any AnnotationStore, dataPath: String, options: Options,
                        openAnother: @escaping @Sendable () throws -> any AnnotationStore) throws -> StoreFigures {
        print("\(name) (\(label)):")
        let importStart = Date()
        let cpuStart = ImportBenchmark.cpuSeconds()
        let report = try Importer(store: store).importFile(at: dataPath, options: ImportOptions(format: .jsonl))
        let importSeconds = Date().timeIntervalSince(importStart)
        let importRate = Double(report.summary.inserted) / importSeconds
        print(String(format: "  import: %d items in %.2f s, %.0f items/s (this process's CPU %.2f s)", report.summary.inserted,
                     importSeconds, importRate, ImportBenchmark.cpuSeconds() - cpuStart))

        let size = ScreenSize(rows: 24, columns: 80)
        let keyToDraw = try KeyToDrawBenchmark.measure(store: store, labels: KeyToDrawBenchmark.labels, screen: MemoryScreen(size: size),
                                                       keys: options.keys, name: "memory screen")
        print("  key to next item drawn (memory screen, \(size), \(options.keys) keys): " + KeyToDrawBenchmark.summary(keyToDraw.keyToDraw))
        print("    same, on-CPU time of the key's thread: " + KeyToDrawBenchmark.summary(keyToDraw.keyToDrawCPU))
        print("    after drawing (refill, hooks):         " + KeyToDrawBenchmark.summary(keyToDraw.afterDraw))
        let commitAlone = try KeyToDrawBenchmark.measureCommits(store: store, count: min(options.keys, 500))
        print("  commit alone (recordDecision): " + KeyToDrawBenchmark.summary(commitAlone))
        let read = try measureOneRead(store: store, count: 500)
        print("  one indexed read (item(id:), one statement): " + KeyToDrawBenchmark.summary(read))

        let concurrent = try ConcurrentAnnotatorsBenchmark.run(annotatorCount: options.annotators, seconds: options.seconds,
                                                               runName: name.lowercased(), openStore: openAnother)
        print(String(format: "  %d annotators, %.1f s: %d decisions, %.0f decisions/s; commit %@",
                     options.annotators, concurrent.seconds, concurrent.committedRows, concurrent.decisionsPerSecond,
                     KeyToDrawBenchmark.summary(concurrent.allCommitMilliseconds)))
        print("    claim-next: " + KeyToDrawBenchmark.summary(concurrent.annotators.flatMap(\.claimMilliseconds)))
        for annotator in concurrent.annotators {
            print(String(format: "    %@: %d decisions, commit p50 %.2f ms, p99 %.2f ms%@", annotator.annotator, annotator.committedRows,
                         KeyToDrawBenchmark.percentile(annotator.commitMilliseconds, 0.5),
                         KeyToDrawBenchmark.percentile(annotator.commitMilliseconds, 0.99),
                         annotator.failures.isEmpty ? "" : ", failures: " + Set(annotator.failures).joined(separator: "; ")))
        }
        print("    check: \(concurrent.rowsFound) decision rows found for \(concurrent.committedRows) commits that returned; "
              + (concurrent.problems.isEmpty ? "none lost, none twice, no item decided twice by one annotator"
                                              : "PROBLEMS: " + concurrent.problems.prefix(10).joined(separator: "; ")))
        return StoreFigures(store: name, importItemsPerSecond: importRate, keyToDraw: keyToDraw, commitAlone: commitAlone,
                            concurrent: concurrent)
    }

    /// One statement on its own, so that a commit's time can be read as so many round trips
    /// (PostgreSQL) or so much work in-process (SQLite).
    static func measureOneRead(store: any AnnotationStore, count: Int) throws -> [Double] {
        var times: [Double] = []
        for index in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try store.item(id: Int64(index % 1000 + 1))
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return times
    }

    static func printTable(_ figures: [StoreFigures], annotators: Int) {
        print("| store | import items/s | key→draw p50 | p99 | on-CPU p99 | decisions/s (\(annotators)) | commit p50 | commit p99 | worst annotator's p99 |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in figures {
            let commits = row.concurrent.allCommitMilliseconds
            let worst = row.concurrent.annotators.map { KeyToDrawBenchmark.percentile($0.commitMilliseconds, 0.99) }.max() ?? 0
            print(String(format: "| %@ | %.0f | %.2f ms | %.2f ms | %.2f ms | %.0f | %.2f ms | %.2f ms | %.2f ms |", row.store,
                         row.importItemsPerSecond, KeyToDrawBenchmark.percentile(row.keyToDraw.keyToDraw, 0.5),
                         KeyToDrawBenchmark.percentile(row.keyToDraw.keyToDraw, 0.99),
                         KeyToDrawBenchmark.percentile(row.keyToDraw.keyToDrawCPU, 0.99), row.concurrent.decisionsPerSecond,
                         KeyToDrawBenchmark.percentile(commits, 0.5), KeyToDrawBenchmark.percentile(commits, 0.99), worst))
        }
    }

    /// The 1-, 5- and 15-minute load averages, as `uptime` shows them.
    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }
}
