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
    /// escape sequences; and that a `ValidationError` a command throws while it runs (a check
    /// that needs the project, such as a label name) comes with that command's usage line, as
    /// the checks in `validate()` do, not with the root's `annotty <subcommand>`.
    static func main() {
        let parsed: any ParsableCommand
        do {
            parsed = try parseAsRoot()
        } catch {
            fail(error, in: nil)
        }
        var command = parsed
        do {
            try command.run()
        } catch {
            fail(error, in: type(of: parsed))
        }
    }

    /// Prints the error (with the usage of `command` when it is a validation error) and exits.
    static func fail(_ error: any Error, in command: (any ParsableCommand.Type)?) -> Never {
        let code = exitCode(for: error)
        guard code != .success else { exit(withError: error) }  // --help, --version
        var message = fullMessage(for: error)
        if let error = error as? ValidationError, let command, command != Annotty.self {
            message = "Error: \(error.message)\n" + usageMessage(of: command)
        }
        if !message.isEmpty {
            FileHandle.standardError.write(Data((TerminalSafeText.sanitize(message) + "\n").utf8))
        }
        Foundation.exit(code.rawValue)
    }

    /// The usage block ArgumentParser prints under an option error of `command`:
    /// `Usage: annotty NAME ...` and where to read more.
    static func usageMessage(of command: any ParsableCommand.Type) -> String {
        let synopsis = usageString(for: command).components(separatedBy: "\n").joined(separator: "\n       ")
        let name = command.configuration.commandName ?? String(describing: command)
        return "Usage: \(synopsis)\n  See 'annotty \(name) --help' for more information."
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
    ReplayCommand.self,
    CalibrationStudyCommand.self,
    BackupCommand.self,
    StoreCommand.self,
    CheckCommand.self,
]
