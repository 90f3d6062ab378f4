import Foundation
import GRDB

/// An item of a span file to import, with the span sets the file gives it (none: no answer),
/// each with who gave it.
public struct SpanImportEntry: Sendable {
    public var record: ImportRecord
    public var sets: [(annotator: String, spans: [EntitySpan])]

    public init(record: ImportRecord, sets: [(annotator: String, spans: [EntitySpan])]) {
        self.record = record
        self.sets = sets
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
    /// is already in the store (same content digest) adds no item, but its span sets are still recorded
    /// unless the annotator's effective decision on that item is already that set.
    public func importSpanItems(_ entries: [SpanImportEntry]) throws -> SpanImportCounts {
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
            let sets = zip(entries, itemIds).flatMap { entry, itemId in
                entry.sets.map { (itemId: itemId, annotator: $0.annotator, spans: $0.spans) }
            }
            let recorded = try recordImportedSpanSets(db, sets)
            counts.decisionsRecorded = recorded.recorded
            counts.decisionsAlreadyThere = recorded.alreadyThere
            return counts
        }
    }

    /// Records span sets on items already in the store as `imported` decisions by their annotators, in one
    /// transaction; a set the annotator's effective decision on the item already is, is counted, not repeated.
    public func importSpanSets(_ sets: [(itemId: Int64, annotator: String, spans: [EntitySpan])]) throws -> SpanImportCounts {
        try pool.write { db in
            var counts = SpanImportCounts()
            let recorded = try recordImportedSpanSets(db, sets)
            counts.decisionsRecorded = recorded.recorded
            counts.decisionsAlreadyThere = recorded.alreadyThere
            return counts
        }
    }

    /// The items with these external ids (the first stored where several share one), by id.
    public func items(externalIds: [String]) throws -> [String: Item] {
        try pool.read { db in
            var found: [String: Item] = [:]
            let unique = Array(Set(externalIds))
            for start in stride(from: 0, to: unique.count, by: 500) {
                let chunk = Array(unique[start..<min(start + 500, unique.count)])
                for row in try Row.fetchAll(db, sql: """
                    SELECT * FROM items WHERE external_id IN (\(Self.placeholders(chunk.count))) ORDER BY id
                    """, arguments: StatementArguments(chunk)) {
                    let item = Self.item(from: row)
                    if let external = item.externalId, found[external] == nil { found[external] = item }
                }
            }
            return found
        }
    }

    private func recordImportedSpanSets(_ db: Database, _ sets: [(itemId: Int64, annotator: String, spans: [EntitySpan])])
        throws -> (recorded: Int, alreadyThere: Int) {
        var recorded = 0
        var alreadyThere = 0
        let existing = try db.makeStatement(sql: """
            SELECT label FROM effective_decisions WHERE item_id = ? AND annotator = ? AND label LIKE 'spans:%'
            ORDER BY id DESC LIMIT 1
            """)
        let insertSpan = try db.makeStatement(sql: """
            INSERT INTO decision_spans (decision_id, start_offset, end_offset, type, text) VALUES (?, ?, ?, ?, ?)
            """)
        for (itemId, annotator, spans) in sets {
            let label = SpanAnnotation.label(for: spans)
            if try String.fetchOne(existing, arguments: [itemId, annotator]) == label {
                alreadyThere += 1
                continue
            }
            let saved = try insertDecision(db, Decision(itemId: itemId, annotator: annotator, kind: .imported, label: label))
            let unique = Dictionary(spans.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first }).values
            for span in unique {
                try insertSpan.execute(arguments: [saved.id, span.start, span.end, span.type, span.text])
            }
            recorded += 1
        }
        return (recorded, alreadyThere)
    }
}
