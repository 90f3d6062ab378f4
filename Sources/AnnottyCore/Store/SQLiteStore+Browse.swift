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
                let effective = decisions[item.id] ?? []
                var latest: [String: Decision] = [:]
                for decision in effective where Self.voteKinds.contains(decision.kind) && decision.label != nil {
                    latest[decision.annotator] = decision
                }
                let votes = latest.values.sorted { $0.id < $1.id }.map { ItemVote(annotator: $0.annotator, label: $0.label!) }
                let flags = effective.filter { $0.kind == .flag }.map { BrowsedItem.Flag(annotator: $0.annotator, note: $0.note) }
                let finalKind: String? = queue?["final_kind"]
                return BrowsedItem(item: item, isOpen: queue?["open"] ?? false, finalLabel: queue?["final_label"],
                                   finalKind: finalKind.flatMap(DecisionKind.init(rawValue:)), prediction: predictions[item.id],
                                   votes: votes, flags: flags)
            }
        }
    }

    public func countBrowseItems(_ filter: BrowseFilter) throws -> Int {
        try pool.read { db in
            let (condition, arguments) = Self.browseCondition(filter)
            return try Int.fetchOne(db, sql: Self.browseSelect("COUNT(*)", condition), arguments: arguments) ?? 0
        }
    }

    /// The decision kinds that count as a person's label on an item.
    static let voteKinds: Set<DecisionKind> = [.accept, .correct, .imported, .audit]

    static func browseSelect(_ columns: String, _ condition: String) -> String {
        """
        WITH effective AS (
            SELECT d.* FROM decisions d WHERE d.kind != 'undo'
              AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.undoes_decision_id = d.id))
        SELECT \(columns) FROM items i JOIN item_queue q ON q.item_id = i.id
        LEFT JOIN predictions p ON p.id = (SELECT MAX(id) FROM predictions WHERE item_id = i.id)
        WHERE \(condition)
        """
    }

    static func browseCondition(_ filter: BrowseFilter) -> (String, StatementArguments) {
        var conditions = ["1"]
        var arguments = StatementArguments()
        switch filter.state {
        case .open: conditions.append("q.open = 1")
        case .closed: conditions.append("q.open = 0 AND q.final_label IS NOT NULL")
        case nil: break
        }
        if let label = filter.label {
            conditions.append("q.final_label = ?")
            arguments += [label]
        }
        switch filter.decidedBy {
        case .person: conditions.append("q.final_kind IN ('accept', 'correct', 'audit', 'imported')")
        case .auto: conditions.append("q.final_kind = 'auto'")
        case .review: conditions.append("q.final_kind = 'adjudicate'")
        case nil: break
        }
        if let annotator = filter.annotator {
            conditions.append("EXISTS (SELECT 1 FROM effective e WHERE e.item_id = i.id AND e.annotator = ?)")
            arguments += [annotator]
        }
        if filter.minimumConfidence != nil || filter.maximumConfidence != nil {
            let confidence = """
                COALESCE(p.calibrated_confidence, (SELECT value FROM json_each(p.probabilities_json) WHERE key = p.label))
                """
            conditions.append("p.is_valid = 1")
            if let minimum = filter.minimumConfidence {
                conditions.append("\(confidence) >= ?")
                arguments += [minimum]
            }
            if let maximum = filter.maximumConfidence {
                conditions.append("\(confidence) <= ?")
                arguments += [maximum]
            }
        }
        if filter.flaggedOnly {
            conditions.append("EXISTS (SELECT 1 FROM effective e WHERE e.item_id = i.id AND e.kind = 'flag')")
        }
        if filter.disagreementOnly {
            // Each person's latest label; more than one distinct label among them.
            conditions.append("""
                (SELECT COUNT(DISTINCT e.label) FROM effective e
                 WHERE e.item_id = i.id AND e.kind IN ('accept', 'correct', 'imported', 'audit') AND e.label IS NOT NULL
                   AND e.id = (SELECT MAX(f.id) FROM effective f WHERE f.item_id = e.item_id AND f.annotator = e.annotator
                               AND f.kind IN ('accept', 'correct', 'imported', 'audit') AND f.label IS NOT NULL)) > 1
                """)
        }
        if let search = filter.search, !search.isEmpty {
            let escaped = search.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            conditions.append("""
                (i.text LIKE ? ESCAPE '\\' OR i.fields_json LIKE ? ESCAPE '\\' OR i.metadata_json LIKE ? ESCAPE '\\'
                 OR i.external_id LIKE ? ESCAPE '\\')
                """)
            let pattern = "%\(escaped)%"
            arguments += [pattern, pattern, pattern, pattern]
        }
        return (conditions.joined(separator: " AND "), arguments)
    }
}
