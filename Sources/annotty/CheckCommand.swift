import ArgumentParser
import AnnottyCore
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that the project's database (or a backup) is whole, and count what is in it.",
        discussion: """
        Runs SQLite's full integrity check (every page and index; on a big project this reads \
        the whole file) on a read-only connection, then counts items, decisions and predictions. \
        Exits 0 when the file is whole, 2 when it is damaged (with what SQLite found and how to \
        recover), 1 when it cannot be opened at all.

        Examples:
          annotty check -p reviews
          annotty check --file backups/annotty-20260101-120000.sqlite
        """)

    @OptionGroup var project: ProjectOptions

    @Option(help: "Check this database file instead of the project's (a backup, a recovered copy).")
    var file: String?

    func validate() throws {
        if let file, file.isEmpty { throw ValidationError("--file is empty: name the database file to check") }
    }

    func run() throws {
        var path = file ?? ""
        if file == nil {
            let opened = try project.open()
            if opened.config.store.isPostgres {
                throw StoreKindError(command: "annotty check", folder: opened.folder,
                                     instead: "check the database with PostgreSQL's pg_amcheck")
            }
            path = opened.databaseURL.path
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreFileError.missingDatabase(path: path)
        }
        let report: SQLiteStore.IntegrityReport
        do {
            report = try SQLiteStore(path: path, access: .readOnly).integrityReport()
        } catch let error as StoreFileError {
            if case .damaged = error {
                printError(error.description)
                throw ExitCode(2)
            }
            throw error
        }
        let shown = TerminalSafeText.singleLine(path, limit: 300)
        guard report.isWhole else {
            printError(StoreFileError.damaged(path: path, detail: "\(report.problems.count) problem(s) found").description)
            for problem in report.problems { printError("  " + TerminalSafeText.singleLine(problem, limit: 200)) }
            throw ExitCode(2)
        }
        let counts = report.counts
        print("\(shown): ok (\(report.fileBytes / 1024) KiB)")
        print("items \(counts.items) (\(counts.open) open, \(counts.labelledByPeople) labelled by people, "
              + "\(counts.autoAccepted) auto-accepted); decisions \(counts.decisions); "
              + "predicted items \(counts.predicted); annotators \(counts.annotators)")
    }
}
