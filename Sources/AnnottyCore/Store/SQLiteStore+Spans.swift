import GRDB

/// The `spans` task's decisions: each decision row carries its span set's label
/// (`SpanAnnotation.label(for:)`) and its spans in `decision_spans` (migration 004-spans),
/// written in the one transaction that appends the decision.
extension SQLiteStore {
    /// Records a decision with its spans. The decision's `label` is replaced by the span set's label.
    /// - Throws: `SpanError.noSuchItem`; `.offText` for a span whose offsets or text do not match the item's
    ///   text (checked before anything is written); `StoreError` as `recordDecision`.
    @discardableResult
    public func recordSpanDecision(_ decision: Decision, spans: [EntitySpan]) throws -> Decision {
        guard let item = try item(id: decision.itemId) else {
            throw SpanError.noSuchItem(item: String(decision.itemId))
        }
        let text = ScalarText(item.text)
        for span in spans where text.slice(span.start, span.end) != span.text || span.start >= span.end {
            throw SpanError.offText(item: String(decision.itemId), span: span)
        }
        var labelled = decision
        labelled.label = SpanAnnotation.label(for: spans)
        let unique = Dictionary(spans.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first }).values
        return try pool.write { db in
            let saved = try insertDecision(db, labelled)
            let insert = try db.cachedStatement(sql: """
                INSERT INTO decision_spans (decision_id, start_offset, end_offset, type, text) VALUES (?, ?, ?, ?, ?)
                """)
            for span in unique {
                try insert.execute(arguments: [saved.id, span.start, span.end, span.type, span.text])
            }
            return saved
        }
    }

    /// The `decision_spans` rows of a saved decision whose label is a span set, their text read
    /// from the item's (the label holds offsets and types only); nothing for any other label.
    /// Inside the caller's transaction. - Throws: `SpanError.offText` for a span off the item's text.
    func insertSpanRows(_ db: Database, for decision: Decision) throws {
        guard let label = decision.label, let keys = SpanAnnotation.keys(inLabel: label), !keys.isEmpty else { return }
        let itemText = try String.fetchOne(db.cachedStatement(sql: "SELECT text FROM items WHERE id = ?"),
                                           arguments: [decision.itemId]) ?? ""
        let text = ScalarText(itemText)
        let insert = try db.cachedStatement(sql: """
            INSERT INTO decision_spans (decision_id, start_offset, end_offset, type, text) VALUES (?, ?, ?, ?, ?)
            """)
        for key in Set(keys).sorted() {
            guard let covered = text.slice(key.start, key.end) else {
                throw SpanError.offText(item: String(decision.itemId),
                                        span: EntitySpan(start: key.start, end: key.end, type: key.type, text: ""))
            }
            try insert.execute(arguments: [decision.id, key.start, key.end, key.type, covered])
        }
    }

    /// Effective span decisions (not undone, not undo rows), oldest first; of one item, or of
    /// every item when `itemId` is nil. Skips and flags, which carry no spans, are left out.
    public func effectiveSpanAnnotations(itemId: Int64? = nil) throws -> [SpanAnnotation] {
        try pool.read { db in
            let filter = itemId == nil ? "" : "AND d.item_id = ?"
            let arguments: StatementArguments = itemId.map { [$0] } ?? []
            let rows = try Row.fetchAll(db, sql: """
                SELECT d.* FROM effective_decisions d
                WHERE d.label LIKE 'spans:%' \(filter)
                ORDER BY d.id
                """, arguments: arguments)
            let spanRows = try Row.fetchAll(db, sql: """
                SELECT s.* FROM decision_spans s JOIN effective_decisions d ON d.id = s.decision_id
                WHERE 1 \(filter)
                ORDER BY s.decision_id, s.start_offset, s.end_offset, s.type
                """, arguments: arguments)
            var spansByDecision: [Int64: [EntitySpan]] = [:]
            for row in spanRows {
                spansByDecision[row["decision_id"], default: []].append(EntitySpan(
                    start: row["start_offset"], end: row["end_offset"], type: row["type"], text: row["text"]))
            }
            return rows.map(Self.decision(from:)).filter { $0.kind.carriesLabel }.map { decision in
                SpanAnnotation(decisionId: decision.id, itemId: decision.itemId, annotator: decision.annotator,
                               kind: decision.kind, spans: spansByDecision[decision.id] ?? [])
            }
        }
    }
}
