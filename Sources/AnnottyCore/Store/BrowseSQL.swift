import Foundation

/// The SQL of `annotty browse`'s filters, the same in both stores but for the confidence
/// expression (SQLite reads JSON with json_each, PostgreSQL with its jsonb operators).
public enum BrowseSQL {
    public static func select(_ columns: String, _ condition: String) -> String {
        """
        WITH effective AS (
            SELECT d.* FROM decisions d WHERE d.kind != 'undo'
              AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.undoes_decision_id = d.id))
        SELECT \(columns) FROM items i JOIN item_queue q ON q.item_id = i.id
        LEFT JOIN predictions p ON p.id = (SELECT MAX(id) FROM predictions WHERE item_id = i.id)
        WHERE \(condition)
        """
    }

    /// The filter as a WHERE condition over `i` (items), `q` (item_queue), `p` (latest prediction)
    /// and `effective`, with `?` placeholders; `confidence` is the store's expression for the shown
    /// label's confidence.
    public static func condition(_ filter: BrowseFilter, confidence: String) -> (String, [SQLValue]) {
        var conditions = ["1 = 1"]
        var arguments: [SQLValue] = []
        switch filter.state {
        case .open: conditions.append("q.open = 1")
        case .closed: conditions.append("q.open = 0 AND q.final_label IS NOT NULL")
        case nil: break
        }
        if let label = filter.label {
            conditions.append("q.final_label = ?")
            arguments += [label.sqlValue]
        }
        switch filter.decidedBy {
        case .person: conditions.append("q.final_kind IN ('accept', 'correct', 'audit', 'imported')")
        case .auto: conditions.append("q.final_kind = 'auto'")
        case .review: conditions.append("q.final_kind = 'adjudicate'")
        case nil: break
        }
        if let annotator = filter.annotator {
            conditions.append("EXISTS (SELECT 1 FROM effective e WHERE e.item_id = i.id AND e.annotator = ?)")
            arguments += [annotator.sqlValue]
        }
        if filter.minimumConfidence != nil || filter.maximumConfidence != nil {
            conditions.append("p.is_valid = 1")
            if let minimum = filter.minimumConfidence {
                conditions.append("\(confidence) >= ?")
                arguments += [minimum.sqlValue]
            }
            if let maximum = filter.maximumConfidence {
                conditions.append("\(confidence) <= ?")
                arguments += [maximum.sqlValue]
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
            arguments += [pattern.sqlValue, pattern.sqlValue, pattern.sqlValue, pattern.sqlValue]
        }
        return (conditions.joined(separator: " AND "), arguments)
    }
}
