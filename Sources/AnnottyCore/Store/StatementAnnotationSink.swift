import Foundation
import GRDB

/// Records imported labels inside the `import-annotations` transaction.
struct StatementAnnotationSink: AnnotationImportSink {
    let db: Database
    let now: Double
    var recorded = 0
    var alreadyImported = 0
    var touchedItems: Set<Int64> = []
    private var itemIds: [String: Int64] = [:]
    private var knownAnnotators: Set<String> = []

    init(db: Database, now: Double) {
        self.db = db
        self.now = now
    }

    mutating func add(externalId: String, annotator: String, label: String, goldLabel: String?) throws -> AnnotationImportOutcome {
        let itemId: Int64
        if let cached = itemIds[externalId] {
            itemId = cached
        } else {
            guard let found = try Int64.fetchOne(db, sql: "SELECT id FROM items WHERE external_id = ? ORDER BY id LIMIT 1",
                                                 arguments: [externalId]) else { return .unknownItem }
            itemIds[externalId] = found
            itemId = found
        }
        if !knownAnnotators.contains(annotator) {
            try db.execute(sql: "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)", arguments: [annotator, now])
            knownAnnotators.insert(annotator)
        }
        // Deduped by a query (decisions_item index) rather than a unique index: people's own
        // decisions may repeat a label, only an imported one must not be counted twice.
        let seen = try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM decisions WHERE item_id = ? AND annotator = ? AND kind = 'imported' AND label = ?)
            """), arguments: [itemId, annotator, label]) ?? false
        if let goldLabel {
            try db.execute(sql: "UPDATE items SET gold_label = ? WHERE id = ?", arguments: [goldLabel, itemId])
        }
        if seen {
            alreadyImported += 1
            return .alreadyImported
        }
        try db.execute(sql: """
            INSERT INTO decisions (item_id, annotator, kind, label, created_at) VALUES (?, ?, 'imported', ?, ?)
            """, arguments: [itemId, annotator, label, now])
        recorded += 1
        touchedItems.insert(itemId)
        return .recorded
    }
}
