import Foundation
import GRDB

/// Checks that a database file is whole before annotty writes into it.
///
/// On every open: the file header (magic, page size, the page count against the file's length,
/// which catches truncation) and a read of the schema, in well under a millisecond; then
/// `PRAGMA quick_check(1)`, which reads every page (O(size)), only for files up to
/// `quickCheckLimitBytes`, so that opening stays within the startup budget on big projects
/// (measured: see docs/reliability.md). `annotty check` runs the full check on any size.
public enum StoreIntegrity {
    /// Files up to this size get SQLite's page-level check on every open.
    public static let quickCheckLimitBytes = 16 << 20

    /// Throws `StoreFileError.damaged` when the header, the schema or (for smaller files) the
    /// pages are damaged. Runs on a read-only connection of its own, before the store's pool
    /// exists: a read-write connection would checkpoint its WAL into the file on closing, and
    /// a damaged file must not be written at all. A file that does not exist yet, or is empty,
    /// is a new database and passes.
    static func checkBeforeOpening(path: String) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size > 0 else { return }
        try checkHeader(path: path)
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        let connection: DatabaseQueue
        do {
            connection = try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError where [.SQLITE_CANTOPEN, .SQLITE_READONLY].contains(error.resultCode) {
            // A folder SQLite may not write (no WAL index can be made): the read-only open
            // checks the same file again on its immutable fallback.
            return
        }
        defer { try? connection.close() }
        try checkPages(connection, path: path, size: size)
    }

    /// The schema, then SQLite's page check for files up to `quickCheckLimitBytes`.
    static func checkPages(_ reader: any DatabaseReader, path: String, size: Int) throws {
        do {
            try reader.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master")
                if size <= quickCheckLimitBytes {
                    let result = try String.fetchAll(db, sql: "PRAGMA quick_check(1)")
                    if result != ["ok"] { throw StoreFileError.damaged(path: path, detail: result.joined(separator: "; ")) }
                }
            }
        } catch let error as DatabaseError where [.SQLITE_CANTOPEN, .SQLITE_READONLY].contains(error.resultCode) {
            return  // as above: the immutable fallback checks it
        }
    }

    /// Every problem SQLite's full integrity check finds (at most `limit`), or [] when whole.
    public static func problems(_ reader: any DatabaseReader, limit: Int = 20) throws -> [String] {
        let result = try reader.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check(\(max(1, limit)))") }
        return result == ["ok"] ? [] : result
    }

    /// The 100-byte header: "SQLite format 3", a power-of-two page size, and a file at least
    /// as long as the page count it declares.
    ///
    /// A file shorter than its header says is not always damaged. While others read, a checkpoint
    /// copies from the write-ahead log only the pages whose newest version every reader has moved
    /// past: page 1, declaring the grown page count, can be copied while the newest pages at the
    /// end, rewritten since, are not. The file then stays short for as long as people keep
    /// labeling (seen in the sixteen-process test: the same shortfall 50 s apart), and SQLite
    /// reads those pages from the log. So while the log has content the shortfall is left to the
    /// page check, which reads through the log; with no log, every page has been copied and the
    /// file set to its full length, and a shortfall is damage. It is read twice, in case the last
    /// connection copied the whole log and removed it in between.
    static func checkHeader(path: String) throws {
        guard try headerShortfall(path: path) != nil, !hasWriteAheadLog(path) else { return }
        guard let shortfall = try headerShortfall(path: path), !hasWriteAheadLog(path) else { return }
        throw StoreFileError.damaged(path: path, detail: shortfall)
    }

    /// Whether a non-empty write-ahead log lies beside the file: some connection has written
    /// since the last full checkpoint, so pages the header counts may still be only in the log.
    static func hasWriteAheadLog(_ path: String) -> Bool {
        let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        return size > 0
    }

    /// Throws when the header itself is not SQLite's; returns how the file falls short of the
    /// page count its header declares, or nil when it does not.
    private static func headerShortfall(path: String) throws -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 100)) ?? Data()
        guard !header.isEmpty else { return nil }  // a new, empty file: SQLite writes the header
        let bytes = [UInt8](header)
        guard bytes.count == 100, bytes[0..<16].elementsEqual(Array("SQLite format 3\0".utf8)) else {
            throw StoreFileError.damaged(path: path, detail: "the file does not start with a SQLite header")
        }
        let rawPageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        let pageSize = rawPageSize == 1 ? 65536 : rawPageSize
        guard pageSize >= 512, pageSize & (pageSize - 1) == 0 else {
            throw StoreFileError.damaged(path: path, detail: "the header declares an impossible page size \(rawPageSize)")
        }
        func word(_ offset: Int) -> Int {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        // The page count is trustworthy only when written by the same change as the counter.
        let pageCount = word(28)
        guard word(24) == word(92), pageCount > 0 else { return nil }
        let fileSize = Int((try? handle.seekToEnd()) ?? 0)
        guard fileSize < pageCount * pageSize else { return nil }
        return "the file is \(fileSize) bytes but declares \(pageCount) pages of \(pageSize); it was cut short"
    }
}
