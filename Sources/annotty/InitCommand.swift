import ArgumentParser
import AnnottyCore
import AnnottyPostgres
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a project: annotty.toml (commented, editable) and an empty database.",
        discussion: """
        Example:
          annotty init reviews --labels positive,negative,neutral,mixed \\
              --guidelines guidelines/sentiment.md
          annotty init emotions --task multi --labels anger,fear,joy,sadness
          annotty init reviews --labels positive,negative \\
              --store postgresql://alice@db.example.org:5432/reviews

        With --store the project's database is PostgreSQL, shared by a team on many machines: \
        the password is read from the environment variable --password-env names (PGPASSWORD), \
        never stored. Run the same init on each machine to join a project already there.

        Then import items with `annotty import FILE -p reviews` and start with \
        `annotty label -p reviews`.

        Labels that start with a dash are fine: --labels -100,-99 (or --labels=-100,-99).
        """)

    @Argument(help: "The folder to create the project in (created if missing).")
    var folder: String

    // Unconditional: a label list may start with a dash (--labels -100,-99).
    @Option(parsing: .unconditional,
            help: "Labels, comma-separated, in the order they are listed on screen (keys 1, 2, ...).")
    var labels: String

    @Option(help: "What an item's answer is: single (one label), multi (a set of labels), spans (entity spans).")
    var task: String = "single"

    @Option(help: "The guidelines Markdown file (stored relative to the project folder).")
    var guidelines: String?

    @Option(help: "A name for the project (default: the folder name).")
    var name: String?

    @Option(help: "The field that holds the text to label.")
    var textField: String = "text"

    @Option(help: "Extra fields shown under the text, comma-separated (e.g. hypothesis).")
    var fields: String?

    @Option(help: "LLM provider: local (bundled small model), openai (any compatible endpoint), none.")
    var provider: String = "local"

    @Option(help: "For --provider openai: the base URL up to /v1.")
    var baseURL: String?

    @Option(help: "The model name sent to the endpoint.")
    var model: String?

    @Option(help: "A PostgreSQL database for the project instead of annotty.sqlite in the folder: postgresql://user@host:5432/db (?sslmode=...).")
    var store: String?

    @Option(help: "With --store: the NAME of the environment variable that holds the database password.")
    var passwordEnv: String = "PGPASSWORD"

    func validate() throws {
        do { _ = try LabelList.parse(labels) } catch let error as LabelList.Problem {
            throw ValidationError("--labels \(error.description)")
        }
        guard TaskKind(rawValue: task) != nil else {
            throw ValidationError("--task must be " + TaskKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard LLMSettings.Provider(rawValue: provider) != nil else {
            throw ValidationError("--provider must be local, openai or none")
        }
        if let store {
            do { _ = try PostgresLocation(url: store, passwordEnv: passwordEnv) } catch let error as InputError {
                throw ValidationError("--store: \(error.message)")
            }
            if task == TaskKind.spans.rawValue {
                throw ValidationError("--store: entity-span projects are stored in SQLite only for now (docs/tasks.md)")
            }
        }
    }

    func run() throws {
        let folderURL = URL(fileURLWithPath: folder).standardizedFileURL
        let configURL = folderURL.appendingPathComponent(ProjectConfig.fileName)
        if FileManager.default.fileExists(atPath: configURL.path) {
            throw CommandFailure("\(configURL.path) already exists; edit it instead")
        }
        let labelNames = try LabelList.parse(labels)
        let llmProvider = LLMSettings.Provider(rawValue: provider)!
        let folderExisted = FileManager.default.fileExists(atPath: folderURL.path)
        try FileManager.default.createDirectory(at: folderURL, withIntermediateDirectories: true)
        var guidelinesPath = ""
        if let guidelines {
            let guidelinesURL = URL(fileURLWithPath: guidelines).standardizedFileURL
            guard FileManager.default.fileExists(atPath: guidelinesURL.path) else {
                throw CommandFailure("no guidelines file at \(guidelines)")
            }
            guidelinesPath = RelativePath.from(folderURL, to: guidelinesURL)
        }
        var config = ProjectConfig(name: name ?? folderURL.lastPathComponent, labels: LabelSet(names: labelNames),
                                   guidelines: guidelinesPath, textField: textField, displayFields: commaList(fields))
        config.llm.provider = llmProvider
        config.task = TaskKind(rawValue: task)!
        if let baseURL { config.llm.baseURL = baseURL }
        if let model { config.llm.model = model }
        if let store { config.store = StoreSettings(url: store, passwordEnv: passwordEnv) }
        // Definitions from the guidelines become the one-line descriptions beside the labels.
        if !guidelinesPath.isEmpty {
            let project = Project(folder: folderURL, config: config)
            let parsed = try project.loadGuidelines()
            config.labels = LabelSet(config.labels.labels.map { label in
                var label = label
                label.description = parsed.section(for: label.name)?.definition ?? ""
                return label
            })
        }
        // A PostgreSQL database is reached (and its schema made) before the file is written, so a
        // wrong URL or password leaves no half-made project behind.
        let created: any StoreTransfer
        do {
            created = try ProjectStore.create(Project(folder: folderURL, config: config))
        } catch {
            // Nothing half-made: a folder this init made for a database it could not reach goes too.
            if !folderExisted { try? FileManager.default.removeItem(at: folderURL) }
            throw error
        }
        try ConfigTemplate.render(config).write(to: configURL, atomically: true, encoding: .utf8)
        let project = try Project.open(folderURL)
        if config.store.isPostgres {
            // The database keeps the project's settings, so a copy of it can become a folder again.
            if try created.projectMeta(ProjectMetaKey.config) == nil {
                try created.setProjectMeta(ProjectMetaKey.config, try String(contentsOf: configURL, encoding: .utf8))
            }
            let items = try created.statusCounts().items
            print("created \(configURL.path); the project's database is \(ProjectStore.describe(project))"
                  + (items > 0 ? " (joined: it holds \(counted(items, "item")) already)" : ""))
        } else {
            print("created \(configURL.path) and \(project.databaseURL.path)")
        }
    }
}

/// A path from one folder to a file, with `..` where needed.
enum RelativePath {
    static func from(_ folder: URL, to file: URL) -> String {
        let base = folder.standardizedFileURL.pathComponents
        let target = file.standardizedFileURL.pathComponents
        var common = 0
        while common < base.count, common < target.count, base[common] == target[common] { common += 1 }
        let ups = Array(repeating: "..", count: base.count - common)
        return (ups + target[common...]).joined(separator: "/")
    }
}
