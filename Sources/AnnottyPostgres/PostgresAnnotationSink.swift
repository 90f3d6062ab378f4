import AnnottyCore
import Foundation

/// Records imported labels inside the `import-annotations` transaction, as the SQLite store's
/// sink does: an annotator's imported label on an item is recorded once.
struct PostgresAnnotationSink: AnnotationImportSink {
    let session: PostgresSession
    let now: Double
    var recorded = 0
    var alreadyImported = 0
    var touchedItems: Set<Int64> = []
    private var itemIds: [String: Int64] = [:]
    private var knownAnnotators: Set<String> = []

    init(session: PostgresSession, now: Double) {
        self.session = session
        self.now = now
    }

    mutating func add(externalId: String, annotator: String, label: String, goldLabel: String?) throws -> AnnotationImportOutcome {
        let itemId: Int64
        if let cached = itemIds[externalId] {
            itemId = cached
        } else {
            guard let found = try session.int64s("SELECT id FROM items WHERE external_id = ? ORDER BY id LIMIT 1", [externalId]).first else {
                return .unknownItem
            }
            itemIds[externalId] = found
            itemId = found
        }
        if !knownAnnotators.contains(annotator) {
            try session.execute("INSERT INTO annotators (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING", [annotator, now])
            knownAnnotators.insert(annotator)
        }
        let seen = try session.int("""
            SELECT COUNT(*) FROM decisions WHERE item_id = ? AND annotator = ? AND kind = 'imported' AND label = ?
            """, [itemId, annotator, label]) ?? 0 > 0
        if let goldLabel {
            try session.execute("UPDATE items SET gold_label = ? WHERE id = ?", [goldLabel, itemId])
        }
        if seen {
            alreadyImported += 1
            return .alreadyImported
        }
        try session.execute("INSERT INTO decisions (item_id, annotator, kind, label, created_at) VALUES (?, ?, 'imported', ?, ?)",
                            [itemId, annotator, label, now])
        recorded += 1
        touchedItems.insert(itemId)
        return .recorded
    }
}
