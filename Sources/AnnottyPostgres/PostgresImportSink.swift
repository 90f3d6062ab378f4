import AnnottyCore
import Foundation

/// Inserts imported records inside the import transaction a batch at a time (one statement per
/// 2,000 rows, sent as arrays), so an import over the network is not one round trip per row.
/// `add` answers true for every record it takes; duplicates are counted when a batch is sent.
struct PostgresImportSink: ImportSink {
    let session: PostgresSession
    let now: Double
    var summary = ImportSummary()
    private var pending: [(record: ImportRecord, hash: String)] = []
    static let batchSize = 2000

    init(session: PostgresSession, now: Double) {
        self.session = session
        self.now = now
    }

    mutating func add(_ record: ImportRecord) throws -> Bool {
        let digest = record.contentDigest ?? ContentHash.digest(text: record.text, fields: record.fields)
        pending.append((record, Data(digest).hexString))
        if pending.count >= Self.batchSize { try flush() }
        return true
    }

    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        let rows = try session.rows("""
            INSERT INTO items (external_id, text, fields_json, metadata_json, content_hash, gold_label, is_golden, created_at)
            SELECT r.external_id, r.text, r.fields_json, r.metadata_json, decode(r.hash, 'hex'), r.gold_label,
                   CASE WHEN r.gold_label IS NULL THEN 0 ELSE 1 END, ?
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY
                AS r(external_id, text, fields_json, metadata_json, hash, gold_label, position)
            ORDER BY r.position
            ON CONFLICT (content_hash) DO NOTHING
            RETURNING id, encode(content_hash, 'hex') AS hash
            """, [now, PostgresArray.text(batch.map(\.record.externalId)), PostgresArray.text(batch.map(\.record.text)),
                  PostgresArray.text(batch.map { $0.record.fields.isEmpty ? "[]" : JSONText.encode($0.record.fields) }),
                  PostgresArray.text(batch.map(\.record.metadataJSON)), PostgresArray.text(batch.map(\.hash)),
                  PostgresArray.text(batch.map(\.record.goldLabel))])
        summary.inserted += rows.count
        summary.duplicates += batch.count - rows.count
        let inserted = Dictionary(rows.map { ($0.string("hash"), $0.int64("id")) }, uniquingKeysWith: { first, _ in first })
        for (record, hash) in batch where !record.predictions.isEmpty {
            guard let itemId = inserted[hash] else { continue }
            for prediction in record.predictions { try addPrediction(prediction, itemId: itemId) }
        }
    }

    private func addPrediction(_ imported: ImportedPrediction, itemId: Int64) throws {
        if imported.isAnnotation {
            let annotator = imported.annotator ?? "imported"
            try session.execute("INSERT INTO annotators (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING", [annotator, now])
            try session.execute("""
                INSERT INTO decisions (item_id, annotator, kind, label, time_spent_ms, created_at) VALUES (?, ?, 'imported', ?, ?, ?)
                """, [itemId, annotator, imported.label, imported.timeSpentMs ?? 0, imported.createdAt?.timeIntervalSince1970 ?? now])
        } else {
            let probabilities: [String: Double] = imported.probabilities ?? [imported.label: imported.score ?? 1.0]
            try session.execute("""
                INSERT INTO predictions (item_id, model, source, label, probabilities_json, is_valid, prompt_hash, created_at)
                VALUES (?, ?, 'imported', ?, ?, 1, '', ?)
                """, [itemId, imported.model, imported.label, JSONText.encode(probabilities), now])
        }
    }
}

/// PostgreSQL array literals, bound as text and cast in the SQL (`?::bigint[]`, `?::text[]`).
enum PostgresArray {
    static func integers(_ values: [Int64]) -> String {
        "{" + values.map(String.init).joined(separator: ",") + "}"
    }

    /// nil is the array's NULL; every text is quoted, so "NULL" stays the word.
    static func text(_ values: [String?]) -> String {
        "{" + values.map { value in
            guard let value else { return "NULL" }
            return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }.joined(separator: ",") + "}"
    }

    static func text(_ values: [String]) -> String { text(values.map(Optional.some)) }
}
