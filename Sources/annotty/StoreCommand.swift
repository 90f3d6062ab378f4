import ArgumentParser
import AnnottyCore
import AnnottyPostgres
import Foundation

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Move a project between SQLite and PostgreSQL.",
        subcommands: [StoreCopyCommand.self])
}

struct StoreCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a project's whole store (items, predictions, decisions, calibrations, aggregates) into an empty one.",
        discussion: """
        Each side is a project folder, an .sqlite file or a postgresql:// URL (its password from \
        the environment variable --password-env names). A folder that does not exist yet becomes \
        a project of its own: the source's annotty.toml with its store in the folder. Ids are kept; \
        nothing is written into a store that already holds items or decisions.

        Examples:
          annotty store copy --from reviews --to postgresql://alice@db.example.org:5432/reviews
          annotty store copy --from postgresql://alice@db.example.org:5432/reviews --to reviews-local
        """)

    @Option(help: "The project folder, .sqlite file or postgresql:// URL to copy from.")
    var from: String

    @Option(help: "The empty store to copy into: a new folder, an .sqlite file or a postgresql:// URL.")
    var to: String

    @Option(help: "The NAME of the environment variable that holds a postgresql:// URL's password.")
    var passwordEnv: String = "PGPASSWORD"

    func run() throws {
        // Progress for large tables only: the summary below names every table copied.
        let outcome = try StoreCopyRun(from: from, to: to, passwordEnv: passwordEnv).run { table, rows in
            if rows > 0, rows % 50_000 == 0 { FileHandle.standardError.write(Data("copying \(table): \(rows) rows so far\n".utf8)) }
        }
        let copied = outcome.summary.rows.filter { $0.count > 0 }.map { "\(counted($0.count, "row")) of \($0.table)" }
        print("copied \(outcome.source) to \(outcome.destination): " + (copied.isEmpty ? "nothing to copy" : copied.joined(separator: ", ")))
        print(outcome.nextStep)
    }
}
