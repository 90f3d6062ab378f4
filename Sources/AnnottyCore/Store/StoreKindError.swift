import Foundation

/// A command that works on the folder's SQLite store only, asked of a project whose store is
/// PostgreSQL: said before anything is read or written.
public struct StoreKindError: Error, CustomStringConvertible, Equatable {
    public let command: String
    public let folder: URL
    /// What does the job on PostgreSQL, where something does (pg_dump for a backup).
    public let instead: String?

    public init(command: String, folder: URL, instead: String? = nil) {
        self.command = command
        self.folder = folder
        self.instead = instead
    }

    public var description: String {
        "\(command) works on a project stored in SQLite only, and this project's store is PostgreSQL (url in [store] of "
            + "\(folder.appendingPathComponent(ProjectConfig.fileName).path)): "
            + (instead.map { "\($0), or copy" } ?? "copy")
            + " it to SQLite with `annotty store copy --from \(folder.path) --to NEW_FOLDER` (docs/tasks.md lists what runs on PostgreSQL)"
    }
}
