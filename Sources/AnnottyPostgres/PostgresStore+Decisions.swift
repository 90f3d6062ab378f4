import AnnottyCore
import Foundation

/// Decisions, teams' labels, aggregates and exports on PostgreSQL: the SQLite store's rules, with
/// each item's queue row locked while its decisions change, so two people deciding the same item
/// at once both count.
extension PostgresStore {
    /// Sent again after a lost connection, a decision whose first commit did reach the server is
    /// found by its item, annotator, kind and time (to the microsecond), not saved twice.
    @discardableResult
    public func recordDecision(_ decision: Decision) throws -> Decision {
        try connections.transaction { session in
            // The lock on the item's queue row and the search for the same decision, in one round trip.
            let found = try session.rows("""
                SELECT d.* FROM item_queue q
                LEFT JOIN decisions d ON d.item_id = q.item_id AND d.annotator = ? AND d.kind = ? AND d.created_at = ?
                WHERE q.item_id = ? FOR UPDATE OF q
                """, [decision.annotator, decision.kind.rawValue, decision.createdAt.timeIntervalSince1970, decision.itemId])
            if let row = found.first, row.optionalInt64("id") != nil { return StoreRecords.decision(from: row) }
            return try insertDecision(session, decision, queueRowLocked: true)
        }
    }

    public func undoLastDecision(annotator: String) throws -> Decision? {
        try connections.transaction { session in
            guard let row = try session.row("""
                SELECT * FROM effective_decisions d
                WHERE d.annotator = ? AND d.kind NOT IN ('auto', 'imported')
                ORDER BY d.id DESC LIMIT 1
                """, [annotator]) else { return nil }
            let undone = StoreRecords.decision(from: row)
            try insertDecision(session, Decision(itemId: undone.itemId, annotator: annotator, kind: .undo, undoesDecisionId: undone.id))
            return undone
        }
    }

    public func decisions(itemId: Int64) throws -> [Decision] {
        try connections.withConnection { session in
            try session.rows("SELECT * FROM decisions WHERE item_id = ? ORDER BY id", [itemId]).map(StoreRecords.decision(from:))
        }
    }

    public func distinctDecisionLabels(limit: Int) throws -> [String] {
        try connections.withConnection { session in
            try session.column("""
                SELECT DISTINCT label FROM effective_decisions WHERE label IS NOT NULL ORDER BY label LIMIT ?
                """, [limit]).compactMap(\.string)
        }
    }

    public func effectiveDecisions() throws -> [Decision] {
        try connections.withConnection { session in
            try session.rows("SELECT * FROM effective_decisions ORDER BY id").map(StoreRecords.decision(from:))
        }
    }

    public func allDecisions() throws -> [Decision] {
        try connections.withConnection { session in
            try session.rows("SELECT * FROM decisions ORDER BY id").map(StoreRecords.decision(from:))
        }
    }

    // MARK: Export

    public func forEachExportRow(_ body: (ExportRow) throws -> Void) throws {
        // One snapshot for the whole export, as SQLite's read transaction gives.
        let rows: [ExportRow] = try connections.withConnection { session in
            try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            defer { _ = try? session.execute("COMMIT") }
            let decisionsByItem = Dictionary(grouping: try session.rows("""
                SELECT * FROM effective_decisions WHERE kind != 'skip' ORDER BY id
                """).map(StoreRecords.decision(from:)), by: \.itemId)
            var aggregatesByItem: [Int64: [String: AggregatedLabel]] = [:]
            for row in try session.rows("SELECT * FROM aggregates") {
                aggregatesByItem[row.int64("item_id"), default: [:]][row.string("method")] = StoreRecords.aggregate(from: row)
            }
            var latest: [Int64: Prediction] = [:]
            for row in try session.rows("SELECT DISTINCT ON (item_id) * FROM predictions ORDER BY item_id, id DESC") {
                let prediction = StoreRecords.prediction(from: row)
                latest[prediction.itemId] = prediction
            }
            return try session.rows("""
                SELECT i.*, q.final_label, q.final_kind FROM items i LEFT JOIN item_queue q ON q.item_id = i.id ORDER BY i.id
                """).map { row in
                    let item = StoreRecords.item(from: row)
                    return ExportRow(item: item, finalLabel: row.optionalString("final_label"),
                                     finalKind: row.optionalString("final_kind").flatMap(DecisionKind.init(rawValue:)),
                                     decisions: decisionsByItem[item.id] ?? [], latestPrediction: latest[item.id],
                                     aggregates: aggregatesByItem[item.id] ?? [:])
                }
        }
        for row in rows { try body(row) }
    }

    // MARK: Teams

    public func importAnnotations(_ produce: (inout any AnnotationImportSink) throws -> Void) throws -> AnnotationImportCounts {
        try connections.transaction { session in
            var sink: any AnnotationImportSink = PostgresAnnotationSink(session: session, now: Date().timeIntervalSince1970)
            try produce(&sink)
            let finished = sink as! PostgresAnnotationSink
            for itemId in finished.touchedItems.sorted() {
                try lockQueueRow(session, itemId: itemId)
                try updateQueueState(session, itemId: itemId)
            }
            return AnnotationImportCounts(recorded: finished.recorded, alreadyImported: finished.alreadyImported)
        }
    }

    public func finalLabels() throws -> [Int64: (label: String, kind: DecisionKind)] {
        try connections.withConnection { session in
            var result: [Int64: (label: String, kind: DecisionKind)] = [:]
            for row in try session.rows("SELECT item_id, final_label, final_kind FROM item_queue WHERE final_label IS NOT NULL") {
                result[row.int64("item_id")] = (row.string("final_label"), DecisionKind(rawValue: row.string("final_kind")) ?? .correct)
            }
            return result
        }
    }

    public func goldenItemIds() throws -> Set<Int64> {
        try connections.withConnection { session in Set(try session.int64s("SELECT id FROM items WHERE is_golden = 1")) }
    }

    public func goldLabels() throws -> [Int64: String] {
        try connections.withConnection { session in
            var result: [Int64: String] = [:]
            for row in try session.rows("SELECT id, gold_label FROM items WHERE gold_label IS NOT NULL") {
                result[row.int64("id")] = row.string("gold_label")
            }
            return result
        }
    }

    public func replaceAggregates(method: String, _ labels: [AggregatedLabel]) throws {
        try connections.transaction { session in
            try session.execute("DELETE FROM aggregates WHERE method = ?", [method])
            let now = Date().timeIntervalSince1970
            for batch in stride(from: 0, to: labels.count, by: 1000).map({ Array(labels[$0..<min($0 + 1000, labels.count)]) }) {
                try session.execute("""
                    INSERT INTO aggregates (item_id, method, label, posteriors_json, created_at)
                    SELECT a.item_id, ?, a.label, a.posteriors, ?
                    FROM unnest(?::bigint[], ?::text[], ?::text[]) AS a(item_id, label, posteriors)
                    """, [method, now, PostgresArray.integers(batch.map(\.itemId)), PostgresArray.text(batch.map(\.label)),
                          PostgresArray.text(batch.map { JSONText.encode($0.posteriors) })])
            }
        }
    }

    public func aggregates(method: String) throws -> [Int64: AggregatedLabel] {
        try connections.withConnection { session in
            var result: [Int64: AggregatedLabel] = [:]
            for row in try session.rows("SELECT * FROM aggregates WHERE method = ?", [method]) {
                let aggregate = StoreRecords.aggregate(from: row)
                result[aggregate.itemId] = aggregate
            }
            return result
        }
    }

    // MARK: Internals

    /// Locks the item's queue row until the transaction ends: its decisions change one at a time.
    func lockQueueRow(_ session: PostgresSession, itemId: Int64) throws {
        try session.execute("SELECT 1 FROM item_queue WHERE item_id = ? FOR UPDATE", [itemId])
    }

    /// Appends a decision and recomputes its item's queue state, in the caller's transaction. Each
    /// round trip costs a network's latency on every key press: the annotator, the decision and the
    /// lease go in one statement.
    @discardableResult
    func insertDecision(_ session: PostgresSession, _ decision: Decision, queueRowLocked: Bool = false) throws -> Decision {
        if !queueRowLocked { try lockQueueRow(session, itemId: decision.itemId) }
        if let undone = decision.undoesDecisionId,
           try session.int("SELECT COUNT(*) FROM decisions WHERE undoes_decision_id = ?", [undone]) ?? 0 > 0 {
            throw StoreError.alreadyUndone(decisionId: undone)
        }
        var saved = decision
        saved.id = try session.int64s("""
            WITH annotator AS (
                INSERT INTO annotators (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING
            ), released AS (
                DELETE FROM leases WHERE item_id = ? AND annotator = ? AND ? = 1
            )
            INSERT INTO decisions (item_id, annotator, kind, label, shown_label, shown_confidence, shown_source,
                prediction_id, time_spent_ms, note, undoes_decision_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, [
                decision.annotator, Date().timeIntervalSince1970,
                decision.itemId, decision.annotator, decision.kind.carriesLabel || decision.kind == .undo,
                decision.itemId, decision.annotator, decision.kind.rawValue, decision.label, decision.shownLabel,
                decision.shownConfidence, decision.shownSource?.rawValue, decision.predictionId, decision.timeSpentMs,
                decision.note, decision.undoesDecisionId, decision.createdAt.timeIntervalSince1970,
            ]).first ?? 0
        try updateQueueState(session, itemId: decision.itemId)
        return saved
    }

    /// Recomputes an item's derived queue state from its decisions (its row is locked).
    func updateQueueState(_ session: PostgresSession, itemId: Int64) throws {
        // The item's decisions and whether it is a golden question, in one round trip.
        let rows = try session.rows("""
            SELECT i.is_golden AS item_is_golden, d.* FROM items i LEFT JOIN decisions d ON d.item_id = i.id
            WHERE i.id = ? ORDER BY d.id
            """, [itemId])
        let decisions = rows.filter { $0.optionalInt64("id") != nil }.map(StoreRecords.decision(from:))
        let state = ItemQueueState(decisions: decisions, policy: overlapPolicy)
        let isGolden = rows.first?.bool("item_is_golden") ?? false
        try session.execute("""
            UPDATE item_queue SET open = ?, human_labels = ?, labels_needed = ?, final_label = ?, final_kind = ? WHERE item_id = ?
            """, [state.isOpen && !isGolden, state.humanLabels, state.labelsNeeded, state.finalLabel, state.finalKind?.rawValue, itemId])
    }
}
