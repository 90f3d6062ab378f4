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
            try lockQueueRow(session, itemId: decision.itemId)
            if let row = try session.row("""
                SELECT * FROM decisions WHERE item_id = ? AND annotator = ? AND kind = ? AND created_at = ?
                """, [decision.itemId, decision.annotator, decision.kind.rawValue, decision.createdAt.timeIntervalSince1970]) {
                return StoreRecords.decision(from: row)
            }
            return try insertDecision(session, decision)
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
                    SELECT a.item_id, ?, NULLIF(a.label, ?), a.posteriors, ?
                    FROM unnest(?::bigint[], ?::text[], ?::text[]) AS a(item_id, label, posteriors)
                    """, [method, Self.noLabel, now, Self.array(batch.map(\.itemId)), Self.array(batch.map { $0.label ?? Self.noLabel }),
                          Self.array(batch.map { JSONText.encode($0.posteriors) })])
            }
        }
    }

    /// Stands for a missing label inside a text array (labels never contain a NUL character).
    static let noLabel = "\u{1}none"

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

    @discardableResult
    func insertDecision(_ session: PostgresSession, _ decision: Decision) throws -> Decision {
        try lockQueueRow(session, itemId: decision.itemId)
        if let undone = decision.undoesDecisionId,
           try session.int("SELECT COUNT(*) FROM decisions WHERE undoes_decision_id = ?", [undone]) ?? 0 > 0 {
            throw StoreError.alreadyUndone(decisionId: undone)
        }
        try session.execute("INSERT INTO annotators (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                            [decision.annotator, Date().timeIntervalSince1970])
        var saved = decision
        saved.id = try session.int64s("""
            INSERT INTO decisions (item_id, annotator, kind, label, shown_label, shown_confidence, shown_source,
                prediction_id, time_spent_ms, note, undoes_decision_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, [
                decision.itemId, decision.annotator, decision.kind.rawValue, decision.label, decision.shownLabel,
                decision.shownConfidence, decision.shownSource?.rawValue, decision.predictionId, decision.timeSpentMs,
                decision.note, decision.undoesDecisionId, decision.createdAt.timeIntervalSince1970,
            ]).first ?? 0
        if decision.kind.carriesLabel || decision.kind == .undo {
            try session.execute("DELETE FROM leases WHERE item_id = ? AND annotator = ?", [decision.itemId, decision.annotator])
        }
        try updateQueueState(session, itemId: decision.itemId)
        return saved
    }

    /// Recomputes an item's derived queue state from its decisions (its row is locked).
    func updateQueueState(_ session: PostgresSession, itemId: Int64) throws {
        let decisions = try session.rows("SELECT * FROM decisions WHERE item_id = ? ORDER BY id", [itemId]).map(StoreRecords.decision(from:))
        let state = ItemQueueState(decisions: decisions, policy: overlapPolicy)
        let isGolden = try session.int("SELECT is_golden FROM items WHERE id = ?", [itemId]) == 1
        try session.execute("""
            UPDATE item_queue SET open = ?, human_labels = ?, labels_needed = ?, final_label = ?, final_kind = ? WHERE item_id = ?
            """, [state.isOpen && !isGolden, state.humanLabels, state.labelsNeeded, state.finalLabel, state.finalKind?.rawValue, itemId])
    }
}
