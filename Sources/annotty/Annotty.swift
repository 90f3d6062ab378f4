import ArgumentParser
import AnnottyCore

@main
struct Annotty: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotty",
        abstract: "Terminal-first human-in-the-loop annotation with an LLM in the loop.",
        discussion: """
        A project is a folder holding annotty.toml (labels, guidelines, LLM endpoint, thresholds) \
        and annotty.sqlite (items, predictions, decisions). Start with `annotty init DIR`.
        """,
        version: AnnottyCore.version,
        subcommands: annottySubcommands
    )
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
    AuditCommand.self,
    DriveCommand.self,
    PrelabelCommand.self,
    ImportPredictionsCommand.self,
    SimulateCommand.self,
    CalibrationStudyCommand.self,
]
