import AnnottyCore
import Foundation

/// `annotty store copy --from A --to B`: each side a project folder, an .sqlite file or a
/// postgresql:// URL. A new folder as the destination becomes a project: the source project's
/// annotty.toml with `[store]` pointing at the copy. Nothing is written to a store that holds work.
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

    public func run(progress: (String, Int) -> Void = { _, _ in }) throws -> Outcome {
        let source = try ProjectStore.open(named: from, passwordEnv: passwordEnv, creating: false)
        let sourceProject = try? Project.open(URL(fileURLWithPath: from))
        var nextStep: String
        let destination: (store: any StoreTransfer, label: String)
        let toURL = URL(fileURLWithPath: to).standardizedFileURL
        let isURL = to.hasPrefix("postgresql://") || to.hasPrefix("postgres://")
        if !isURL, !to.hasSuffix(".sqlite"), let sourceProject,
           !FileManager.default.fileExists(atPath: toURL.appendingPathComponent(ProjectConfig.fileName).path) {
            // A new project folder holding the copy in its own annotty.sqlite.
            try FileManager.default.createDirectory(at: toURL, withIntermediateDirectories: true)
            var config = sourceProject.config
            config.store = StoreSettings()
            let project = Project(folder: toURL, config: config)
            if config.guidelines.hasPrefix("/") == false, let guidelines = sourceProject.guidelinesURL {
                config.guidelines = guidelines.path
            }
            destination = (try ProjectStore.create(Project(folder: toURL, config: config)), project.databaseURL.path)
            try ConfigTemplate.render(config).write(to: project.configURL, atomically: true, encoding: .utf8)
            nextStep = "the project in \(toURL.path) uses it: annotty status -p \(toURL.path)"
        } else {
            destination = try ProjectStore.open(named: to, passwordEnv: passwordEnv, creating: true)
            nextStep = isURL
                ? "to work on it, set url = \"\(to)\" under [store] in annotty.toml (each machine: annotty init FOLDER --store URL ...)"
                : "the copy is in \(destination.label)"
        }
        let summary = try StoreCopy(from: source.store, to: destination.store).run(destinationName: destination.label, progress: progress)
        return Outcome(summary: summary, source: source.label, destination: destination.label, nextStep: nextStep)
    }
}
