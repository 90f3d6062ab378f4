import Foundation
import GRDB

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
        let hash = ContentHash.of(text: record.text, fields: record.fields)
        try insertItem.execute(arguments: [
            record.externalId, record.text, JSONText.encode(record.fields), record.metadataJSON, hash,
            record.goldLabel, record.goldLabel != nil, now,
        ])
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

    private func addPrediction(_ imported: ImportedPrediction, itemId: Int64) throws {
        if imported.isAnnotation {
            try db.execute(sql: "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)",
                           arguments: [imported.annotator ?? "imported", now])
            try db.execute(sql: """
                INSERT INTO decisions (item_id, annotator, kind, label, created_at) VALUES (?, ?, 'imported', ?, ?)
                """, arguments: [itemId, imported.annotator ?? "imported", imported.label, now])
        } else {
            let probabilities: [String: Double] = [imported.label: imported.score ?? 1.0]
            try db.execute(sql: """
                INSERT INTO predictions (item_id, model, source, label, probabilities_json, is_valid, prompt_hash, created_at)
                VALUES (?, ?, 'imported', ?, ?, 1, '', ?)
                """, arguments: [itemId, imported.model, imported.label, JSONText.encode(probabilities), now])
        }
    }
}
