import Foundation
import GRDB

/// An item of a span file to import, with the span set the file gives it (nil: no answer).
public struct SpanImportEntry: Sendable {
    public var record: ImportRecord
    public var spans: [EntitySpan]?

    public init(record: ImportRecord, spans: [EntitySpan]?) {
        self.record = record
        self.spans = spans
    }
}

/// What a span-file import stored.
public struct SpanImportCounts: Sendable, Equatable {
    public var inserted = 0
    public var duplicates = 0
    public var decisionsRecorded = 0
    /// Span sets the same annotator had already given the same item (a file imported again).
    public var decisionsAlreadyThere = 0

    public init() {}
}

extension SQLiteStore {
    /// Imports span items and their span sets in one transaction: all or nothing. An entry whose item
    /// is already in the store (same content digest) adds no item, but its span set is still recorded
    /// unless `annotator`'s effective decision on that item is already that set.
    public func importSpanItems(_ entries: [SpanImportEntry], annotator: String) throws -> SpanImportCounts {
        try pool.write { db in
            var counts = SpanImportCounts()
            let firstNewId = (try Int64.fetchOne(db, sql: "SELECT IFNULL(MAX(id), 0) FROM items") ?? 0) + 1
            var sink = StatementImportSink(db: db, now: Date().timeIntervalSince1970)
            let findItem = try db.makeStatement(sql: "SELECT id FROM items WHERE content_hash = ?")
            var itemIds: [Int64] = []
            itemIds.reserveCapacity(entries.count)
            for entry in entries {
                var record = entry.record
                let digest = record.contentDigest ?? ContentHash.digest(text: record.text, fields: record.fields)
                record.contentDigest = digest
                _ = try sink.add(record)
                guard let id = try Int64.fetchOne(findItem, arguments: [Data(digest)]) else {
                    throw SpanError.noSuchItem(item: record.externalId ?? record.text)
                }
                itemIds.append(id)
            }
            counts.inserted = sink.summary.inserted
            counts.duplicates = sink.summary.duplicates
            try db.execute(sql: """
                INSERT INTO item_queue (item_id, rank, open, labels_needed)
                SELECT id, id, CASE WHEN is_golden = 1 THEN 0 ELSE 1 END, ? FROM items WHERE id >= ?
                """, arguments: [overlapPolicy.overlap, firstNewId])
            let existing = try db.makeStatement(sql: """
                SELECT label FROM effective_decisions WHERE item_id = ? AND annotator = ? AND label LIKE 'spans:%'
                ORDER BY id DESC LIMIT 1
                """)
            let insertSpan = try db.makeStatement(sql: """
                INSERT INTO decision_spans (decision_id, start_offset, end_offset, type, text) VALUES (?, ?, ?, ?, ?)
                """)
            for (entry, itemId) in zip(entries, itemIds) {
                guard let spans = entry.spans else { continue }
                let label = SpanAnnotation.label(for: spans)
                if try String.fetchOne(existing, arguments: [itemId, annotator]) == label {
                    counts.decisionsAlreadyThere += 1
                    continue
                }
                let saved = try insertDecision(db, Decision(itemId: itemId, annotator: annotator, kind: .imported, label: label))
                let unique = Dictionary(spans.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first }).values
                for span in unique {
                    try insertSpan.execute(arguments: [saved.id, span.start, span.end, span.type, span.text])
                }
                counts.decisionsRecorded += 1
            }
            return counts
        }
    }
}
