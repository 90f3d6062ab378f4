import ArgumentParser
import AnnottyCore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write items with their final labels, how and by whom they were decided.",
        discussion: """
        Formats: jsonl (every item as imported, plus an "annotty" object: final label, how it
        was decided, annotators, confidence shown, decisions, the latest prediction, timestamps),
        csv, labelstudio (task JSON with annotations and predictions with scores), hf (flat JSONL
        of labelled items with label and label_id, which Hugging Face datasets loads as is).
        """)

    @OptionGroup var project: ProjectOptions

    @Option(help: "jsonl, csv, labelstudio or hf.")
    var format: String = "jsonl"

    @Option(name: [.short, .long], help: "The file to write, or - for standard output.")
    var output: String = "-"

    @Flag(help: "Only items that have a final label.")
    var labelledOnly = false

    func run() throws {
        guard let exportFormat = ExportFormat(rawValue: format) else {
            throw ValidationError("--format must be one of " + ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let project = try project.open()
        let store = try project.openStore(access: .readOnly)
        let out = try BufferedOutput(path: output)
        let count = try Exporter(store: store, labels: project.config.labels, labelledOnly: labelledOnly)
            .export(format: exportFormat, to: out)
        try out.close()
        if output != "-" { printError("wrote \(count) items to \(output)") }
    }
}
