import AnnottyCore
import Foundation

/// `annotty store copy --from A --to B`: each side a project folder, an .sqlite file or a
/// postgresql:// URL. A folder that does not exist yet becomes a project of its own on SQLite,
/// its annotty.toml the source project's (from the source folder, or as the database keeps it).
/// Nothing is written into a store that holds work.
public struct StoreCopyRun {
    public let from: String
    public let to: String
    public let passwordEnv: String

    public init(from: String, to: String, passwordEnv: String) {
        self.from = from
        self.to = to
        self.passwordEnv = passwordEnv
    }

    public struct Outcome {
        public var summary: StoreCopy.Summary
        public var source: String
        public var destination: String
        /// What to do next to work on the copy, in words.
        public var nextStep: String
    }

    static func isURL(_ name: String) -> Bool { name.hasPrefix("postgresql://") || name.hasPrefix("postgres://") }

    public func run(progress: (String, Int) -> Void = { _, _ in }) throws -> Outcome {
        let source = try ProjectStore.open(named: from, passwordEnv: passwordEnv, creating: false)
        // The project's settings travel with it: from the source folder, else from the database.
        let sourceProject = Self.isURL(from) ? nil : try? Project.open(URL(fileURLWithPath: from).standardizedFileURL)
        var configText = sourceProject.map { project -> String in
            var config = project.config
            if let guidelines = project.guidelinesURL { config.guidelines = guidelines.path }
            return ConfigTemplate.render(config)
        }
        if configText == nil { configText = try source.store.projectMeta(ProjectMetaKey.config) }

        let toURL = URL(fileURLWithPath: to).standardizedFileURL
        let destination: (store: any StoreTransfer, label: String)
        let nextStep: String
        if !Self.isURL(to), !to.hasSuffix(".sqlite"), !FileManager.default.fileExists(atPath: toURL.path) {
            guard let configText else {
                throw StoreCopy.Failure.noProjectSettings(from)
            }
            // A new project folder on SQLite: the source's settings, its store the folder's file.
            var config = try ProjectConfig.parse(configText, fileName: ProjectConfig.fileName)
            config.store = StoreSettings()
            try FileManager.default.createDirectory(at: toURL, withIntermediateDirectories: true)
            let project = Project(folder: toURL, config: config)
            destination = (try ProjectStore.create(project), project.databaseURL.path)
            try ConfigTemplate.render(config).write(to: project.configURL, atomically: true, encoding: .utf8)
            nextStep = "the project in \(toURL.path) uses it: annotty status -p \(toURL.path)"
        } else {
            destination = try ProjectStore.open(named: to, passwordEnv: passwordEnv, creating: true)
            nextStep = Self.isURL(to)
                ? "to work on it, on each machine: annotty init FOLDER --labels ... --store \"\(to)\" (or set url under [store] in annotty.toml)"
                : "the copy is in \(destination.label)"
        }
        let summary = try StoreCopy(from: source.store, to: destination.store).run(destinationName: destination.label, progress: progress)
        if let configText, try destination.store.projectMeta(ProjectMetaKey.config) == nil {
            try destination.store.setProjectMeta(ProjectMetaKey.config, configText)
        }
        return Outcome(summary: summary, source: source.label, destination: destination.label, nextStep: nextStep)
    }
}
