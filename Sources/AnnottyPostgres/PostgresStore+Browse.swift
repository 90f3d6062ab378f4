import AnnottyCore
import Foundation

/// The read side of `annotty browse` on PostgreSQL (the filters are `BrowseSQL`'s).
extension PostgresStore {
    /// The shown label's confidence: the calibrated one, else the model's own for its label.
    static let browseConfidence = "COALESCE(p.calibrated_confidence, (p.probabilities_json::jsonb ->> p.label)::double precision)"

    /// `BrowseSQL`'s condition for PostgreSQL. Its search uses LIKE, which SQLite matches without
    /// regard to case and PostgreSQL with it: ILIKE here, so "BLENDER" finds "blender" in both.
    static func browseCondition(_ filter: BrowseFilter) -> (String, [SQLValue]) {
        let (condition, arguments) = BrowseSQL.condition(filter, confidence: browseConfidence)
        return (condition.replacingOccurrences(of: " LIKE ", with: " ILIKE "), arguments)
    }

    public func browseItems(_ filter: BrowseFilter, limit: Int, offset: Int) throws -> [BrowsedItem] {
        let (condition, arguments) = Self.browseCondition(filter)
        let ids = try connections.withConnection { session in
            try session.int64s(BrowseSQL.select("i.id", condition) + " ORDER BY i.id LIMIT ? OFFSET ?",
                               arguments + [max(0, limit).sqlValue, max(0, offset).sqlValue])
        }
        return try browsedRows(ids)
    }

    public func countBrowseItems(_ filter: BrowseFilter) throws -> Int {
        let (condition, arguments) = Self.browseCondition(filter)
        return try connections.withConnection { session in try session.int(BrowseSQL.select("COUNT(*)", condition), arguments) ?? 0 }
    }

    public func browsedItem(id: Int64) throws -> BrowsedItem? {
        try browsedRows([id]).first
    }

    private func browsedRows(_ ids: [Int64]) throws -> [BrowsedItem] {
        guard !ids.isEmpty else { return [] }
        let items = try self.items(ids: ids)
        let predictions = try latestPredictions(itemIds: ids)
        return try connections.withConnection { session in
            var queueRows: [Int64: PostgresValues] = [:]
            for row in try session.rows("SELECT * FROM item_queue WHERE item_id = ANY(?::bigint[])", [PostgresArray.integers(ids)]) {
                queueRows[row.int64("item_id")] = row
            }
            let decisions = Dictionary(grouping: try session.rows("""
                SELECT * FROM effective_decisions WHERE item_id = ANY(?::bigint[]) ORDER BY id
                """, [PostgresArray.integers(ids)]).map(StoreRecords.decision(from:)), by: \.itemId)
            return items.map { item in
                let queue = queueRows[item.id]
                return StoreRecords.browsedItem(item, isOpen: queue?.bool("open") ?? false, finalLabel: queue?.optionalString("final_label"),
                                                finalKind: queue?.optionalString("final_kind"), prediction: predictions[item.id],
                                                effective: decisions[item.id] ?? [])
            }
        }
    }
}
