import ArgumentParser
import AnnottyCore
import Foundation

@main
struct Annotty: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotty",
        abstract: "Terminal-first human-in-the-loop annotation with an LLM in the loop.",
        discussion: """
        A project is a folder holding annotty.toml (labels, guidelines, LLM endpoint, thresholds) \
        and annotty.sqlite (items, predictions, decisions). Start with `annotty init DIR`.
        Keep a copy with `annotty backup`; `annotty check` tells whether the database is whole.
        """,
        version: AnnottyCore.version,
        subcommands: annottySubcommands
    )

    /// ArgumentParser's main, except that error messages pass the inert-text policy: they
    /// quote file names, lines of input files and server answers, any of which may carry
    /// escape sequences.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }  // --help, --version
            let message = fullMessage(for: error)
            if !message.isEmpty {
                FileHandle.standardError.write(Data((TerminalSafeText.sanitize(message) + "\n").utf8))
            }
            Foundation.exit(code.rawValue)
        }
    }
}

/// Every subcommand, one per file in this folder; listed here once.
let annottySubcommands: [any ParsableCommand.Type] = [
    InitCommand.self,
    ImportCommand.self,
    LabelCommand.self,
    ExportCommand.self,
    StatusCommand.self,
    StatsCommand.self,
    ImportAnnotationsCommand.self,
    AggregateCommand.self,
    ReviewCommand.self,
    BrowseCommand.self,
    AuditCommand.self,
    DriveCommand.self,
    PrelabelCommand.self,
    PlanCommand.self,
    ImportPredictionsCommand.self,
    SimulateCommand.self,
    CalibrationStudyCommand.self,
    BackupCommand.self,
    CheckCommand.self,
]
