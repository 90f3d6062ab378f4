import Foundation
import GRDB

/// Records imported labels inside the `import-annotations` transaction.
struct StatementAnnotationSink: AnnotationImportSink {
    let db: Database
    let now: Double
    var recorded = 0
    var touchedItems: Set<Int64> = []
    private var itemIds: [String: Int64] = [:]
    private var knownAnnotators: Set<String> = []

    init(db: Database, now: Double) {
        self.db = db
        self.now = now
    }

    mutating func add(externalId: String, annotator: String, label: String, goldLabel: String?) throws -> Bool {
        let itemId: Int64
        if let cached = itemIds[externalId] {
            itemId = cached
        } else {
            guard let found = try Int64.fetchOne(db, sql: "SELECT id FROM items WHERE external_id = ? ORDER BY id LIMIT 1",
                                                 arguments: [externalId]) else { return false }
            itemIds[externalId] = found
            itemId = found
        }
        if !knownAnnotators.contains(annotator) {
            try db.execute(sql: "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)", arguments: [annotator, now])
            knownAnnotators.insert(annotator)
        }
        try db.execute(sql: """
            INSERT INTO decisions (item_id, annotator, kind, label, created_at) VALUES (?, ?, 'imported', ?, ?)
            """, arguments: [itemId, annotator, label, now])
        if let goldLabel {
            try db.execute(sql: "UPDATE items SET gold_label = ? WHERE id = ?", arguments: [goldLabel, itemId])
        }
        recorded += 1
        touchedItems.insert(itemId)
        return true
    }
}
