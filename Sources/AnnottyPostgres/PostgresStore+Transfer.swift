import AnnottyCore
import Foundation

/// Whole tables in and out, for `annotty store copy`.
extension PostgresStore {
    public func columns(ofTable table: String) throws -> [String] {
        try connections.withConnection { session in
            try session.column("""
                SELECT column_name::text FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position
                """, [table]).compactMap(\.string)
        }
    }

    public func forEachRow(ofTable table: String, columns: [String], _ body: ([SQLValue]) throws -> Void) throws {
        try connections.withConnection { session in
            // A cursor in one read-only snapshot: a large table is read a page at a time.
            try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            defer { _ = try? session.execute("COMMIT") }
            let order = Self.copyOrder[table] ?? "1"
            try session.execute("DECLARE copy_rows NO SCROLL CURSOR FOR SELECT "
                                + columns.map(Self.quoted).joined(separator: ", ") + " FROM \(Self.quoted(table)) ORDER BY \(order)")
            while true {
                let rows = try session.rows("FETCH 5000 FROM copy_rows")
                if rows.isEmpty { break }
                for row in rows { try body(row.values) }
            }
        }
    }

    /// Rows in the order they were made, so ids and a person's lease order come out as they went in.
    static let copyOrder = ["items": "id", "predictions": "id", "decisions": "id", "leases": "claim_order",
                            "item_queue": "item_id", "learner_opinions": "item_id", "annotators": "name",
                            "decision_spans": "decision_id, start_offset, end_offset, type", "calibrations": "model",
                            "aggregates": "item_id, method", "project_meta": "key"]

    public func isEmptyProject() throws -> Bool {
        try connections.withConnection { session in
            try session.int("SELECT (SELECT COUNT(*) FROM items) + (SELECT COUNT(*) FROM decisions) + (SELECT COUNT(*) FROM predictions)") == 0
        }
    }

    public func insertRows(table: String, columns: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        // PostgreSQL takes at most 65,535 values in one statement.
        let perStatement = max(1, 30_000 / columns.count)
        let head = "INSERT INTO \(Self.quoted(table)) (" + columns.map(Self.quoted).joined(separator: ", ") + ") VALUES "
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        try connections.transaction { session in
            for start in stride(from: 0, to: rows.count, by: perStatement) {
                let chunk = rows[start..<min(start + perStatement, rows.count)]
                try session.execute(head + Array(repeating: tuple, count: chunk.count).joined(separator: ", "),
                                    chunk.flatMap { $0 as [any SQLValueConvertible] })
            }
        }
    }

    public func finishCopy() throws {
        try connections.transaction { session in
            // New rows take ids after the copied ones.
            for (table, column) in [("items", "id"), ("predictions", "id"), ("decisions", "id"), ("leases", "claim_order")] {
                try session.execute("""
                    SELECT setval(pg_get_serial_sequence('\(table)', '\(column)'), COALESCE(MAX(\(column)), 0) + 1, false) FROM \(table)
                    """)
            }
        }
    }

    public func projectMeta(_ key: String) throws -> String? {
        try connections.withConnection { session in
            try session.row("SELECT value FROM project_meta WHERE key = ?", [key])?.optionalString("value")
        }
    }

    public func setProjectMeta(_ key: String, _ value: String) throws {
        _ = try connections.withConnection { session in
            try session.execute("""
                INSERT INTO project_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, [key, value])
        }
    }

    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
