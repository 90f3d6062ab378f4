import AnnottyCore
import Foundation

/// The one place that opens a project's store, whichever it is: the folder's SQLite file, or the
/// PostgreSQL database `[store] url` names. Commands that work on both open it here; the others
/// use `Project.openStore`, which refuses a PostgreSQL project by name.
public enum ProjectStore {
    public static func open(_ project: Project, access: SQLiteStore.Access = .readWrite) throws -> any StoreTransfer {
        guard project.config.store.isPostgres else { return try project.openStore(access: access) }
        guard project.config.task != .spans else {
            throw StoreKindError(command: "an entity-span project", folder: project.folder)
        }
        return try PostgresStore(location: PostgresLocation(project.config.store), overlapPolicy: OverlapPolicy(project.config.annotation))
    }

    /// Where the project's decisions are saved, for messages (never with a password).
    public static func describe(_ project: Project) -> String {
        guard project.config.store.isPostgres else { return project.databaseURL.path }
        return (try? PostgresLocation(project.config.store).description) ?? project.config.store.url
    }

    /// A new project's store (`annotty init`): created, or an existing one opened as is.
    public static func create(_ project: Project) throws -> any StoreTransfer {
        guard project.config.store.isPostgres else { return try project.createStore() }
        return try open(project)
    }

    /// A store named on the command line (`store copy`): a postgresql:// URL (its password from
    /// `passwordEnv`), a project folder (its own store, whichever), or an .sqlite file.
    public static func open(named name: String, passwordEnv: String, creating: Bool) throws -> (store: any StoreTransfer, label: String) {
        if name.hasPrefix("postgresql://") || name.hasPrefix("postgres://") {
            let location = try PostgresLocation(url: name, passwordEnv: passwordEnv)
            return (try PostgresStore(location: location), location.description)
        }
        let url = URL(fileURLWithPath: name)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(ProjectConfig.fileName).path) {
                let project = try Project.open(url)
                return (creating ? try create(project) : try open(project), project.config.store.isPostgres
                        ? try PostgresLocation(project.config.store).description : project.databaseURL.path)
            }
            let path = url.appendingPathComponent(Project.databaseFileName).path
            return (try openFile(path, creating: creating), path)
        }
        return (try openFile(url.path, creating: creating), url.path)
    }

    private static func openFile(_ path: String, creating: Bool) throws -> SQLiteStore {
        if !creating, !FileManager.default.fileExists(atPath: path) { throw StoreFileError.missingDatabase(path: path) }
        return try SQLiteStore(path: path)
    }
}
