import Foundation
import GRDB

/// The safety net: a consistent copy while others label, and the full integrity check.
extension SQLiteStore {
    /// What `annotty check` reports.
    public struct IntegrityReport: Sendable, Equatable {
        /// SQLite's findings; empty when the file is whole.
        public var problems: [String]
        public var counts: StatusCounts
        public var fileBytes: Int

        public var isWhole: Bool { problems.isEmpty }
    }

    /// Copies the database to `destination` with SQLite's online backup, from one read
    /// transaction: a consistent snapshot even while other processes record decisions. The copy
    /// is written beside the destination and renamed into place, so a failed backup never
    /// leaves a half-written file under the destination's name.
    public func backup(to destination: String) throws {
        let temporary = destination + ".partial-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        do {
            // A queue in rollback-journal mode: the copy is one self-contained file.
            let copy = try DatabaseQueue(path: temporary)
            try pool.reader.backup(to: copy)
            try copy.close()
        } catch {
            throw StoreFileError.mapping(error, path: destination)
        }
        if rename(temporary, destination) != 0 {
            throw InputError(file: destination, message: "cannot put the backup in place: \(String(cString: strerror(errno)))")
        }
    }

    /// SQLite's full integrity check (every page, every index), with the store's counts when
    /// the file is whole enough to count.
    public func integrityReport() throws -> IntegrityReport {
        let problems = try pool.read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check(20)")
        }
        let whole = problems == ["ok"]
        let counts = whole ? try statusCounts() : StatusCounts()
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return IntegrityReport(problems: whole ? [] : problems, counts: counts, fileBytes: bytes)
    }

    /// Caps the database at `pages` pages, so that tests can fill it up the way a full disk
    /// would (SQLite answers both with SQLITE_FULL).
    func limitSize(pages: Int) throws {
        try pool.write { db in
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
        }
    }
}

extension SQLiteStore {
    /// Whether every commit is flushed to disk before it returns (`PRAGMA synchronous = FULL` on
    /// the writer): what "a decision shown as done survives a power cut" rests on.
    public func flushesEveryCommit() throws -> Bool {
        guard let writer = pool.writer else { return false }
        return try writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2
    }
}
