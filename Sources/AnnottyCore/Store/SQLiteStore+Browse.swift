import Foundation
import GRDB

/// The read side of `annotty browse`: items filtered by state, label, who decided, annotator,
/// confidence, flags, disagreement and text.
extension SQLiteStore {
    public func browseItems(_ filter: BrowseFilter, limit: Int, offset: Int) throws -> [BrowsedItem] {
        let ids: [Int64] = try pool.read { db in
            let (condition, arguments) = Self.browseCondition(filter)
            var all = arguments
            all += [max(0, limit), max(0, offset)]
            return try Int64.fetchAll(db, sql: Self.browseSelect("i.id", condition) + " ORDER BY i.id LIMIT ? OFFSET ?",
                                      arguments: all)
        }
        return try browsedRows(ids)
    }

    public func browsedItem(id: Int64) throws -> BrowsedItem? {
        try browsedRows([id]).first
    }

    /// The rows of `ids`, in that order, with their queue state, latest prediction, votes and flags.
    func browsedRows(_ ids: [Int64]) throws -> [BrowsedItem] {
        guard !ids.isEmpty else { return [] }
        let items = try self.items(ids: ids)
        let predictions = try latestPredictions(itemIds: ids)
        return try pool.read { db in
            var queueRows: [Int64: Row] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM item_queue WHERE item_id IN (\(Self.placeholders(ids.count)))",
                                        arguments: StatementArguments(ids)) {
                queueRows[row["item_id"]] = row
            }
            var decisions: [Int64: [Decision]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT * FROM decisions d WHERE d.item_id IN (\(Self.placeholders(ids.count))) AND d.kind != 'undo'
                  AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.undoes_decision_id = d.id)
                ORDER BY d.id
                """, arguments: StatementArguments(ids)) {
                let decision = Self.decision(from: row)
                decisions[decision.itemId, default: []].append(decision)
            }
            return items.map { item in
                let queue = queueRows[item.id]
                return StoreRecords.browsedItem(item, isOpen: queue?["open"] ?? false, finalLabel: queue?["final_label"],
                                                finalKind: queue?["final_kind"], prediction: predictions[item.id],
                                                effective: decisions[item.id] ?? [])
            }
        }
    }

    public func countBrowseItems(_ filter: BrowseFilter) throws -> Int {
        try pool.read { db in
            let (condition, arguments) = Self.browseCondition(filter)
            return try Int.fetchOne(db, sql: Self.browseSelect("COUNT(*)", condition), arguments: arguments) ?? 0
        }
    }

    static func browseSelect(_ columns: String, _ condition: String) -> String {
        BrowseSQL.select(columns, condition)
    }

    static func browseCondition(_ filter: BrowseFilter) -> (String, StatementArguments) {
        let (condition, values) = BrowseSQL.condition(filter, confidence: """
            COALESCE(p.calibrated_confidence, (SELECT value FROM json_each(p.probabilities_json) WHERE key = p.label))
            """)
        return (condition, StatementArguments(values.map(\.databaseValue)))
    }
}
