import Foundation
import GRDB

/// Whole tables in and out, for `annotty store copy`.
extension SQLiteStore: StoreTransfer {
    public func columns(ofTable table: String) throws -> [String] {
        try pool.read { db in try db.columns(in: table).map(\.name) }
    }

    public func forEachRow(ofTable table: String, columns: [String], _ body: ([SQLValue]) throws -> Void) throws {
        try pool.read { db in
            let names = columns.map { $0.quotedDatabaseIdentifier }.joined(separator: ", ")
            // rowid order is the order rows were made (a person's leases in the order they were taken).
            let rows = try Row.fetchCursor(db, sql: "SELECT \(names) FROM \(table.quotedDatabaseIdentifier) ORDER BY rowid")
            while let row = try rows.next() {
                try body(row.databaseValues.map(SQLValue.init))
            }
        }
    }

    public func isEmptyProject() throws -> Bool {
        try pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM items) + (SELECT COUNT(*) FROM decisions) + (SELECT COUNT(*) FROM predictions)
                """) == 0
        }
    }

    public func insertRows(table: String, columns: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        try pool.write { db in
            let statement = try db.makeStatement(sql: "INSERT INTO \(table.quotedDatabaseIdentifier) ("
                + columns.map { $0.quotedDatabaseIdentifier }.joined(separator: ", ") + ") VALUES ("
                + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")")
            for row in rows {
                try statement.execute(arguments: StatementArguments(row.map(\.databaseValue)))
            }
        }
    }

    /// SQLite gives a new row the id after the largest: nothing to move.
    public func finishCopy() throws {}

    public func projectMeta(_ key: String) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM project_meta WHERE key = ?", arguments: [key]) }
    }

    public func setProjectMeta(_ key: String, _ value: String) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO project_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value
                """, arguments: [key, value])
        }
    }
}
