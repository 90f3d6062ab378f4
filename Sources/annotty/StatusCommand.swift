import ArgumentParser
import AnnottyCore
import AnnottyPostgres

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Count items by state, predictions and decisions; check the config.")

    @OptionGroup var project: ProjectOptions

    @Option(help: "Also print the first N open items in queue order, with their extra fields.")
    var show: Int = 0

    func validate() throws {
        guard show >= 0 else { throw ValidationError("--show must be 0 or more") }
    }

    func run() throws {
        let project = try project.open()
        let store = try ProjectStore.open(project, access: .readOnly)
        let counts = try store.statusCounts()
        let config = project.config
        // Names come from annotty.toml and the folder's path: shown inert, like item text.
        func safe(_ text: String) -> String { TerminalSafeText.singleLine(text, limit: 200) }
        print("project   \(safe(config.name))  (\(safe(project.folder.path)))")
        print("task      \(config.task.displayName)"
              + (config.task == .multi ? (config.allowEmptySet ? "; an empty set allowed" : "; at least one label per item") : ""))
        print("labels    " + config.labels.labels.map { "\(safe($0.key)) \(safe($0.name))" }.joined(separator: "  "))
        if !config.displayFields.isEmpty { print("fields    text + " + config.displayFields.map(safe).joined(separator: ", ")) }
        print("store     " + (config.store.isPostgres ? "PostgreSQL  \(safe(ProjectStore.describe(project)))" : "SQLite  \(safe(project.databaseURL.path))"))
        print("llm       \(config.llm.provider.rawValue)" + (config.llm.provider == .none ? "" : "  model \(safe(config.llm.model))"))
        print("")
        // One column for every count, wide enough for the longest name.
        func row(_ name: String, _ value: String) { print(name.padding(toLength: 21, withPad: " ", startingAt: 0) + value) }
        row("items", "\(counts.items)")
        row("  open for people", "\(counts.open)")
        row("  labelled by people", "\(counts.labelledByPeople)")
        row("  auto-accepted", "\(counts.autoAccepted)")
        row("  golden questions", "\(counts.golden)")
        row("predicted", "\(counts.predicted)  (invalid answers: \(counts.invalidPredictions))")
        row("decisions", "\(counts.decisions) by \(counts.annotators) annotator(s)")
        for kind in DecisionKind.allCases {
            if let count = counts.decisionsByKind[kind], count > 0 { row("  " + kind.rawValue, "\(count)") }
        }
        // Labels that are no answer of this task kind: the kind or the labels changed after labeling began.
        let strays = try store.distinctDecisionLabels(limit: 10_000).filter { !config.task.accepts(label: $0, labels: config.labels) }
        if !strays.isEmpty {
            let shown = strays.prefix(3).map { safe($0) }.joined(separator: ", ") + (strays.count > 3 ? ", ..." : "")
            print("")
            print("warning: \(strays.count) decided label(s) are not answers of a \(config.task.rawValue) task over these labels "
                  + "(\(shown)): the task kind or the [[labels]] in annotty.toml changed after labeling began; "
                  + "restore them, or export and re-import the project")
        }
        if show > 0 {
            print("")
            for item in try store.items(ids: try store.openItemIds(limit: show)) {
                print("#\(item.id)" + (item.externalId.map { " [\(safe($0))]" } ?? "") + "  " + TerminalSafeText.singleLine(item.text, limit: 100))
                for field in item.fields {
                    print("    \(safe(field.name)): " + TerminalSafeText.singleLine(field.value, limit: 96))
                }
            }
        }
    }
}
