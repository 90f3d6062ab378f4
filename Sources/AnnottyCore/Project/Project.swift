import Foundation

/// A project folder: annotty.toml and annotty.sqlite side by side.
public struct Project: Sendable {
    public let folder: URL
    public let config: ProjectConfig

    public static let databaseFileName = "annotty.sqlite"

    public init(folder: URL, config: ProjectConfig) {
        self.folder = folder
        self.config = config
    }

    public var configURL: URL { folder.appendingPathComponent(ProjectConfig.fileName) }
    public var databaseURL: URL { folder.appendingPathComponent(Project.databaseFileName) }

    public static func open(_ folder: URL) throws -> Project {
        let configURL = folder.appendingPathComponent(ProjectConfig.fileName)
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw InputError(file: configURL.path, message: "no annotty project here (run `annotty init \(folder.path)` first)")
        }
        return Project(folder: folder, config: try ProjectConfig.load(from: configURL))
    }

    /// The project's existing database. A project whose database is gone or empty is refused
    /// (`StoreFileError.missingDatabase`, `.emptyDatabase`) rather than quietly given a new, empty
    /// one: that would look like a project whose work vanished. Reading commands pass
    /// `.readOnly`.
    public func openStore(access: SQLiteStore.Access = .readWrite, command: String = "this command",
                          instead: String? = nil) throws -> SQLiteStore {
        guard !config.store.isPostgres else { throw StoreKindError(command: command, folder: folder, instead: instead) }
        let path = databaseURL.path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw StoreFileError.missingDatabase(path: path)
        }
        if (attributes[.size] as? Int ?? 0) == 0 {
            throw StoreFileError.emptyDatabase(path: path)
        }
        return try SQLiteStore(path: path, overlapPolicy: OverlapPolicy(config.annotation), access: access)
    }

    /// A new database for a new project (`annotty init`); an existing one is opened as is.
    public func createStore() throws -> SQLiteStore {
        guard !config.store.isPostgres else { throw StoreKindError(command: "init", folder: folder) }
        return try SQLiteStore(path: databaseURL.path, overlapPolicy: OverlapPolicy(config.annotation))
    }

    /// The guidelines file named in the config, resolved against the project folder.
    public var guidelinesURL: URL? {
        guard !config.guidelines.isEmpty else { return nil }
        if config.guidelines.hasPrefix("/") { return URL(fileURLWithPath: config.guidelines) }
        return folder.appendingPathComponent(config.guidelines).standardizedFileURL
    }

    public func loadGuidelines() throws -> Guidelines {
        guard let url = guidelinesURL else { return Guidelines(markdown: "", labels: config.labels) }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError(file: url.path, message: "cannot read the guidelines file named in \(ProjectConfig.fileName)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: url.path, message: "the guidelines are not valid UTF-8")
        }
        return Guidelines(markdown: text, labels: config.labels)
    }
}
