import Foundation
import GRDB
import GRDBSQLite

/// Inserts imported records inside the import transaction with prepared statements, so a
/// million-line import runs at SQLite's pace rather than the ORM's.
struct StatementImportSink: ImportSink {
    let db: Database
    let now: Double
    let insertItem: Statement
    var summary = ImportSummary()

    init(db: Database, now: Double) {
        self.db = db
        self.now = now
        // try! is safe: the SQL is a constant checked by the store tests.
        self.insertItem = try! db.makeStatement(sql: """
            INSERT INTO items (external_id, text, fields_json, metadata_json, content_hash, gold_label, is_golden, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(content_hash) DO NOTHING
            """)
    }

    mutating func add(_ record: ImportRecord) throws -> Bool {
        let hash = record.contentDigest ?? ContentHash.digest(text: record.text, fields: record.fields)
        // Bound through SQLite's C API: GRDB's argument arrays cost more than the insert itself
        // at a million rows.
        let statement = insertItem.sqliteStatement
        sqlite3_reset(statement)
        bind(statement, 1, record.externalId)
        bind(statement, 2, record.text)
        bind(statement, 3, record.fields.isEmpty ? "[]" : JSONText.encode(record.fields))
        bind(statement, 4, record.metadataJSON)
        hash.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(statement, 5, bytes.baseAddress, Int32(bytes.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
        bind(statement, 6, record.goldLabel)
        sqlite3_bind_int(statement, 7, record.goldLabel == nil ? 0 : 1)
        sqlite3_bind_double(statement, 8, now)
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        guard db.changesCount > 0 else {
            summary.duplicates += 1
            return false
        }
        summary.inserted += 1
        let itemId = db.lastInsertedRowID
        for prediction in record.predictions {
            try addPrediction(prediction, itemId: itemId)
        }
        return true
    }

    private func bind(_ statement: OpaquePointer, _ index: Int32, _ text: String?) {
        guard var text else {
            sqlite3_bind_null(statement, index)
            return
        }
        text.withUTF8 { bytes in
            // SQLITE_TRANSIENT: SQLite copies the bytes before this closure ends.
            _ = sqlite3_bind_text(statement, index, UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self),
                                  Int32(bytes.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
    }

    private func addPrediction(_ imported: ImportedPrediction, itemId: Int64) throws {
        if imported.isAnnotation {
            try db.execute(sql: "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)",
                           arguments: [imported.annotator ?? "imported", now])
            try db.execute(sql: """
                INSERT INTO decisions (item_id, annotator, kind, label, time_spent_ms, created_at) VALUES (?, ?, 'imported', ?, ?, ?)
                """, arguments: [itemId, imported.annotator ?? "imported", imported.label, imported.timeSpentMs ?? 0,
                                imported.createdAt?.timeIntervalSince1970 ?? now])
        } else {
            let probabilities: [String: Double] = imported.probabilities ?? [imported.label: imported.score ?? 1.0]
            try db.execute(sql: """
                INSERT INTO predictions (item_id, model, source, label, probabilities_json, is_valid, prompt_hash, created_at)
                VALUES (?, ?, 'imported', ?, ?, 1, '', ?)
                """, arguments: [itemId, imported.model, imported.label, JSONText.encode(probabilities), now])
        }
    }
}
