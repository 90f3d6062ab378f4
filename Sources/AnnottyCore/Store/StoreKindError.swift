import Foundation

/// A command that works on the folder's SQLite store only, asked of a project whose store is
/// PostgreSQL: said before anything is read or written.
public struct StoreKindError: Error, CustomStringConvertible, Equatable {
    public let command: String
    public let folder: URL

    public init(command: String, folder: URL) {
        self.command = command
        self.folder = folder
    }

    public var description: String {
        "\(command) works on a project stored in SQLite only, and this project's store is PostgreSQL (url in [store] of "
            + "\(folder.appendingPathComponent(ProjectConfig.fileName).path)); copy it to SQLite with "
            + "`annotty store copy --from \(folder.path) --to NEW_FOLDER` to use it there (docs/tasks.md lists what runs on PostgreSQL)"
    }
}
