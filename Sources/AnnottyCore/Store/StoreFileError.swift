import GRDB

/// Why the project's database cannot be used, said so that a person knows what to do next.
/// SQLite's own codes ("disk I/O error", "attempt to write a readonly database") name neither
/// the file nor a remedy; every case here names the file and the next step.
public enum StoreFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// annotty.toml is there but annotty.sqlite is not.
    case missingDatabase(path: String)
    /// The file exists with zero bytes (a failed copy, a truncation).
    case emptyDatabase(path: String)
    /// The file is not a database, or its pages fail the integrity check.
    case damaged(path: String, detail: String)
    /// The file or its folder cannot be written (permissions, a read-only mount).
    case readOnly(path: String, detail: String)
    /// The disk (or the database's size limit) is full; nothing of the failed write was kept.
    case diskFull(path: String)
    /// A read-only open found a database written by an older annotty, which only a writing
    /// command can upgrade.
    case needsUpgrade(path: String)

    public var path: String {
        switch self {
        case .missingDatabase(let path), .emptyDatabase(let path), .damaged(let path, _), .readOnly(let path, _),
             .diskFull(let path), .needsUpgrade(let path):
            return path
        }
    }

    public var description: String {
        let file = TerminalSafeText.singleLine(path, limit: 300)
        let restore = "restore it from a backup (`annotty backup` makes one; copy it back to \(file))"
        switch self {
        case .missingDatabase:
            return "\(file): the project's database is missing (annotty.toml is there, the database is not). "
                + "Refusing to create an empty one in its place: \(restore). To start a new project instead, use `annotty init`."
        case .emptyDatabase:
            return "\(file): the project's database is empty (0 bytes), so its items and decisions are gone from this file. "
                + "Refusing to use it: \(restore). To start over, delete it and run `annotty init` on the folder."
        case .damaged(_, let detail):
            return "\(file): the database is damaged (\(TerminalSafeText.singleLine(detail, limit: 200))); nothing was written to it. "
                + "\(restore.prefix(1).uppercased() + restore.dropFirst()), or salvage what is readable: "
                + "sqlite3 \(file) \".recover\" | sqlite3 fixed.sqlite, then check fixed.sqlite with `annotty check` and put it in place."
        case .readOnly(_, let detail):
            return "\(file): cannot write the database (\(TerminalSafeText.singleLine(detail, limit: 200))). "
                + "Check the permissions of the file and its folder (annotty also writes \(file)-wal and \(file)-shm beside it), "
                + "or whether the disk is mounted read-only; reading commands (status, stats, export) still work."
        case .diskFull:
            return "\(file): the disk is full; the last change was not saved and the database is intact. "
                + "Free some space on that disk (or move the project), then try again."
        case .needsUpgrade:
            return "\(file): the database was written by an older annotty and needs an upgrade, which a read-only command cannot do. "
                + "Run a writing command once (for example `annotty label`), then try again."
        }
    }

    /// The clear error for a SQLite failure on `path`, or the error itself when it is none of
    /// these (a constraint, a bug) and SQLite's words are the best there are.
    public static func mapping(_ error: any Error, path: String) -> any Error {
        if error is StoreFileError { return error }
        guard let databaseError = error as? DatabaseError else { return error }
        let detail = databaseError.message ?? "\(databaseError.resultCode)"
        switch databaseError.resultCode {
        case .SQLITE_FULL: return StoreFileError.diskFull(path: path)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return StoreFileError.damaged(path: path, detail: detail)
        case .SQLITE_READONLY, .SQLITE_PERM: return StoreFileError.readOnly(path: path, detail: detail)
        case .SQLITE_CANTOPEN: return StoreFileError.readOnly(path: path, detail: "cannot open: \(detail)")
        default: return error
        }
    }
}
