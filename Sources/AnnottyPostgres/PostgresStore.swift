import AnnottyCore
import Foundation
import Synchronization

/// The PostgreSQL implementation of `AnnotationStore`, for a team whose annotators work on
/// different machines: the SQLite store's schema and rules, one transaction per intent, claims
/// that skip rows another claim holds (`FOR UPDATE SKIP LOCKED`) and queue changes announced on
/// a channel (`PostgresQueueListener`). All of annotty's PostgreSQL SQL lives in this folder.
public final class PostgresStore: AnnotationStore, StoreTransfer {
    public let location: PostgresLocation
    public let overlapPolicy: OverlapPolicy
    let connections: PostgresConnections
    private let goldenMixing: Mutex<SeededGenerator>

    /// Connects, and brings the schema up to date (several processes may start at once).
    /// Failures are `PostgresStoreError`s that say the cause and what to do.
    public init(location: PostgresLocation, overlapPolicy: OverlapPolicy = OverlapPolicy(), goldenSeed: UInt64? = nil) throws {
        self.location = location
        self.overlapPolicy = overlapPolicy
        goldenMixing = Mutex(SeededGenerator(seed: goldenSeed ?? UInt64(Date().timeIntervalSince1970 * 1_000_000)))
        connections = try PostgresConnections(location: location)
        try PostgresMigrations.migrate(connections)
    }

    /// Closes the idle connections now (they close anyway when the store goes away).
    public func close() { connections.closeAll() }

    // MARK: Items

    public func importItems(_ produce: (inout any ImportSink) throws -> Void) throws -> ImportSummary {
        try connections.transaction { session in
            // One import at a time: new items take the ids after the largest, queued in id order.
            try session.execute("LOCK TABLE items IN SHARE ROW EXCLUSIVE MODE")
            let firstNewId = (try session.int("SELECT COALESCE(MAX(id), 0) FROM items").map(Int64.init) ?? 0) + 1
            var sink: any ImportSink = PostgresImportSink(session: session, now: Date().timeIntervalSince1970)
            try produce(&sink)
            var finished = sink as! PostgresImportSink
            try finished.flush()
            try session.execute("""
                INSERT INTO item_queue (item_id, rank, open, labels_needed)
                SELECT id, id, CASE WHEN is_golden = 1 THEN 0 ELSE 1 END, ? FROM items WHERE id >= ?
                """, [overlapPolicy.overlap, firstNewId])
            for itemId in try session.int64s("SELECT DISTINCT item_id FROM decisions WHERE item_id >= ?", [firstNewId]) {
                try updateQueueState(session, itemId: itemId)
            }
            return finished.summary
        }
    }

    public func item(id: Int64) throws -> Item? {
        try connections.withConnection { session in
            try session.row("SELECT * FROM items WHERE id = ?", [id]).map(StoreRecords.item(from:))
        }
    }

    public func items(ids: [Int64]) throws -> [Item] {
        guard !ids.isEmpty else { return [] }
        return try connections.withConnection { session in
            let rows = try session.rows("SELECT * FROM items WHERE id = ANY(?::bigint[])", [PostgresArray.integers(ids)])
            let byId = Dictionary(uniqueKeysWithValues: rows.map { ($0.int64("id"), StoreRecords.item(from: $0)) })
            return ids.compactMap { byId[$0] }
        }
    }

    public func itemId(externalId: String) throws -> Int64? {
        try connections.withConnection { session in
            try session.int64s("SELECT id FROM items WHERE external_id = ? ORDER BY id LIMIT 1", [externalId]).first
        }
    }

    public func statusCounts() throws -> StatusCounts {
        try connections.withConnection { session in
            var counts = StatusCounts()
            counts.items = try session.int("SELECT COUNT(*) FROM items") ?? 0
            counts.golden = try session.int("SELECT COUNT(*) FROM items WHERE is_golden = 1") ?? 0
            counts.open = try session.int("SELECT COUNT(*) FROM item_queue WHERE open = 1") ?? 0
            counts.autoAccepted = try session.int("SELECT COUNT(*) FROM item_queue WHERE final_kind = 'auto'") ?? 0
            counts.labelledByPeople = try session.int("""
                SELECT COUNT(*) FROM item_queue WHERE final_label IS NOT NULL AND final_kind != 'auto'
                """) ?? 0
            counts.predicted = try session.int("SELECT COUNT(DISTINCT item_id) FROM predictions WHERE is_valid = 1") ?? 0
            counts.invalidPredictions = try session.int("SELECT COUNT(*) FROM predictions WHERE is_valid = 0") ?? 0
            counts.decisions = try session.int("SELECT COUNT(*) FROM decisions") ?? 0
            for row in try session.rows("SELECT kind, COUNT(*) AS n FROM decisions GROUP BY kind") {
                if let kind = DecisionKind(rawValue: row.string("kind")) { counts.decisionsByKind[kind] = row.int("n") }
            }
            counts.annotators = try session.int("SELECT COUNT(*) FROM annotators") ?? 0
            return counts
        }
    }

    // MARK: Queue

    public func claimNextItems(annotator: String, limit: Int, excluding: Set<Int64>, leaseSeconds: Int,
                               resumingLeases: Bool) throws -> [QueuedItem] {
        let now = Date().timeIntervalSince1970
        var ids: [Int64] = []
        for attempt in 1...Self.claimAttempts {
            ids = try claim(annotator: annotator, limit: limit, excluding: excluding, leaseSeconds: leaseSeconds,
                            resumingLeases: resumingLeases, now: now)
            guard ids.isEmpty, attempt < Self.claimAttempts,
                  try waitForAnotherClaim(annotator: annotator, excluding: excluding, now: now) else { break }
        }
        let items = try self.items(ids: ids)
        let predictions = try latestPredictions(itemIds: ids)
        return items.map { QueuedItem(item: $0, prediction: predictions[$0.id]) }
    }

    /// Claims an empty claim looks again after waiting for another claim to commit, at most.
    static let claimAttempts = 3
    /// The longest an empty claim waits for another claim's rows (PostgreSQL's `lock_timeout`).
    static let claimWaitSeconds = 5
    /// An item `q` the annotator (the first two arguments) may claim at `now` (the third): open, not
    /// yet decided by them, and with fewer labels and other people's live leases than it needs.
    static let claimable = """
        q.open = 1
          AND NOT EXISTS (SELECT 1 FROM effective_decisions d WHERE d.item_id = q.item_id AND d.annotator = ?)
          AND q.human_labels + (
              SELECT COUNT(*) FROM leases l WHERE l.item_id = q.item_id AND l.annotator != ? AND l.expires_at > ?
          ) < q.labels_needed
        """

    /// After an empty claim: whether a claimable row was held by another claim in flight, waited
    /// for until that claim committed. An empty claim may only mean that the rows left were
    /// skipped, not that there is no work (found by ConcurrentClaimTests, two people per item).
    /// The wait runs in a transaction of its own that holds nothing else, so no deadlock; a row
    /// still held after `claimWaitSeconds` (a claim stopped halfway) leaves the empty answer standing.
    private func waitForAnotherClaim(annotator: String, excluding: Set<Int64>, now: Double) throws -> Bool {
        do {
            return try connections.transaction { session in
                try session.execute("SET LOCAL lock_timeout = '\(Self.claimWaitSeconds)s'")
                return try !session.int64s("""
                    SELECT q.item_id FROM item_queue q WHERE \(Self.claimable) AND q.item_id != ALL(?::bigint[])
                    ORDER BY q.rank, q.item_id LIMIT 1 FOR UPDATE OF q
                    """, [annotator, annotator, now, PostgresArray.integers(Array(excluding))]).isEmpty
            }
        } catch let error as PostgresStoreError where error.kind == .server(sqlState: "55P03") {
            return false
        }
    }

    /// One claim, in one transaction: the item ids leased to `annotator`.
    private func claim(annotator: String, limit: Int, excluding: Set<Int64>, leaseSeconds: Int, resumingLeases: Bool,
                       now: Double) throws -> [Int64] {
        try connections.transaction { session in
            var leased: [Int64] = []
            if resumingLeases {
                leased = try session.int64s("""
                    SELECT l.item_id FROM leases l JOIN item_queue q ON q.item_id = l.item_id
                    WHERE l.annotator = ? AND q.open = 1
                      AND NOT EXISTS (SELECT 1 FROM effective_decisions d WHERE d.item_id = l.item_id AND d.annotator = ?)
                    ORDER BY l.claim_order
                    """, [annotator, annotator])
            }
            // The queue's rows this claim looks at stay locked until it commits, and another
            // claim skips them instead of waiting: two people never take the same last slot.
            let claimable = Self.claimable
            let wanted = limit + excluding.count + leased.count
            var queued: [Int64] = []
            var taken: [Int64] = []
            while queued.count < wanted {
                let locked = try session.int64s("""
                    SELECT q.item_id FROM item_queue q
                    WHERE \(claimable) AND q.item_id != ALL(?::bigint[])
                    ORDER BY q.rank, q.item_id
                    LIMIT ?
                    FOR UPDATE OF q SKIP LOCKED
                    """, [annotator, annotator, now, PostgresArray.integers(queued + taken), wanted - queued.count])
                // The lock can be won on a row that another claim held and has just committed: the
                // SELECT's snapshot predates that claim's leases, so the same item went to two
                // people (found by ConcurrentClaimTests). A new statement sees what the lock's last
                // holder committed, so the locked rows are checked again; the ones taken meanwhile
                // are left and the next round looks further down the queue.
                let still = locked.isEmpty ? [] : Set(try session.int64s("""
                    SELECT q.item_id FROM item_queue q WHERE q.item_id = ANY(?::bigint[]) AND \(claimable)
                    """, [PostgresArray.integers(locked), annotator, annotator, now]))
                queued += locked.filter(still.contains)
                taken += locked.filter { !still.contains($0) }
                if still.count == locked.count { break }
            }
            var chosen = ClaimChoice.choose(leased: leased, queued: queued, excluding: excluding, limit: limit)
            if overlapPolicy.goldenRate > 0 {
                chosen = try mixInGoldenQuestions(session, into: chosen, annotator: annotator, limit: limit, excluding: excluding)
            }
            // Every lease in one statement, new ones in claim order (a held lease keeps its place).
            if !chosen.isEmpty {
                try session.execute("""
                    INSERT INTO leases (item_id, annotator, expires_at)
                    SELECT c.item_id, ?, ? FROM unnest(?::bigint[]) WITH ORDINALITY AS c(item_id, position) ORDER BY c.position
                    ON CONFLICT (item_id, annotator) DO UPDATE SET expires_at = excluded.expires_at
                    """, [annotator, now + Double(leaseSeconds), PostgresArray.integers(chosen)])
            }
            return chosen
        }
    }

    private func mixInGoldenQuestions(_ session: PostgresSession, into chosen: [Int64], annotator: String, limit: Int,
                                      excluding: Set<Int64>) throws -> [Int64] {
        let golden = try session.int64s("""
            SELECT i.id FROM items i WHERE i.is_golden = 1
              AND NOT EXISTS (SELECT 1 FROM effective_decisions d WHERE d.item_id = i.id AND d.annotator = ?)
            ORDER BY i.id
            """, [annotator]).filter { !excluding.contains($0) }
        return goldenMixing.withLock { generator in
            GoldenMixing.mix(golden: golden, into: chosen, limit: limit, rate: overlapPolicy.goldenRate, generator: &generator)
        }
    }

    public func openItemIds(limit: Int) throws -> [Int64] {
        try connections.withConnection { session in
            try session.int64s("SELECT item_id FROM item_queue WHERE open = 1 ORDER BY rank, item_id LIMIT ?", [limit])
        }
    }

    public func replaceQueueOrder(_ rankedItemIds: [Int64]) throws {
        try connections.transaction { session in try writeQueueOrder(session, rankedItemIds) }
    }

    private func writeQueueOrder(_ session: PostgresSession, _ rankedItemIds: [Int64]) throws {
        // Items not named keep their relative order behind the ranked ones.
        let offset = Double(rankedItemIds.count)
        try session.execute("UPDATE item_queue SET rank = ? + item_id WHERE open = 1", [offset])
        try session.execute("""
            UPDATE item_queue q SET rank = r.position - 1 - ?
            FROM unnest(?::bigint[]) WITH ORDINALITY AS r(item_id, position) WHERE q.item_id = r.item_id
            """, [offset, PostgresArray.integers(rankedItemIds)])
    }

    public func releaseLeases(annotator: String, keeping kept: Int64?) throws {
        try connections.transaction { session in
            let released = try session.execute("DELETE FROM leases WHERE annotator = ? AND item_id IS DISTINCT FROM ?::bigint",
                                               [annotator, kept])
            // Items given back may be what another screen waits for.
            if released > 0 { try session.execute("SELECT pg_notify(?, '')", [PostgresMigrations.queueChannel]) }
        }
    }

    // MARK: Predictions

    @discardableResult
    public func savePrediction(_ prediction: Prediction) throws -> Prediction {
        try connections.transaction { session in
            let learner = try session.row("SELECT probabilities_json FROM learner_opinions WHERE item_id = ?", [prediction.itemId])
                .map { JSONText.decodeNumbers($0.string("probabilities_json")) }
            let calibrated = StoreRecords.calibratedForSaving(prediction, stored: try storedCalibration(session, model: prediction.model),
                                                              learner: learner)
            var saved = calibrated
            saved.id = try session.int64s("""
                INSERT INTO predictions (item_id, model, source, label, probabilities_json, calibrated_confidence,
                    is_valid, error, raw_answer, prompt_hash, latency_ms, tokens_in, tokens_out, cost_usd, created_at,
                    calibrated_label, shown_source, alternative_json, calibrated_probabilities_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [
                    calibrated.itemId, calibrated.model, calibrated.source.rawValue, calibrated.label,
                    JSONText.encode(calibrated.probabilities), calibrated.calibratedConfidence, calibrated.isValid,
                    calibrated.error, calibrated.rawAnswer, calibrated.promptHash, calibrated.latencyMs,
                    calibrated.tokensIn, calibrated.tokensOut, calibrated.costUSD,
                    calibrated.createdAt.timeIntervalSince1970, calibrated.calibratedLabel,
                    calibrated.shownSource?.rawValue, calibrated.alternative.map(StoreRecords.encode),
                    calibrated.calibratedProbabilities.map(JSONText.encode),
                ]).first ?? 0
            return saved
        }
    }

    private func storedCalibration(_ session: PostgresSession, model: String) throws -> StoredCalibration? {
        try session.row("SELECT * FROM calibrations WHERE model = ?", [model]).map { row in
            StoredCalibration(model: model, calibratorJSON: row.string("calibrator_json"),
                              verifiedOutcomes: row.int("verified_outcomes"), measuredAccuracy: row.double("measured_accuracy"))
        }
    }

    public func cachedPrediction(model: String, promptHash: String) throws -> Prediction? {
        try connections.withConnection { session in
            try session.row("""
                SELECT * FROM predictions WHERE model = ? AND prompt_hash = ? AND is_valid = 1 ORDER BY id DESC LIMIT 1
                """, [model, promptHash]).map(StoreRecords.prediction(from:))
        }
    }

    public func latestPredictions(itemIds: [Int64]) throws -> [Int64: Prediction] {
        guard !itemIds.isEmpty else { return [:] }
        return try connections.withConnection { session in
            let rows = try session.rows("""
                SELECT DISTINCT ON (item_id) * FROM predictions WHERE item_id = ANY(?::bigint[]) ORDER BY item_id, id DESC
                """, [PostgresArray.integers(itemIds)])
            var result: [Int64: Prediction] = [:]
            for row in rows {
                let prediction = StoreRecords.prediction(from: row)
                result[prediction.itemId] = prediction
            }
            return result
        }
    }

    public func allLatestPredictions(model: String?) throws -> [Prediction] {
        try connections.withConnection { session in
            try session.rows("""
                SELECT DISTINCT ON (item_id, model) * FROM predictions WHERE (?::text IS NULL OR model = ?::text)
                ORDER BY item_id, model, id DESC
                """, [model, model]).map(StoreRecords.prediction(from:))
        }
    }

    @discardableResult
    public func applyRoutingPlan(_ plan: RoutingPlan) throws -> Int {
        try connections.transaction { session in
            for calibration in plan.calibrations { try upsertCalibration(session, calibration) }
            var accepted = 0
            for decision in plan.autoAccepts {
                // A person may have decided the item since the plan was made: theirs stands.
                let open = try session.int("""
                    SELECT CASE WHEN open = 1 AND human_labels = 0 THEN 1 ELSE 0 END FROM item_queue WHERE item_id = ? FOR UPDATE
                    """, [decision.itemId]) == 1
                guard open else { continue }
                // Entity-span projects stay on SQLite for now (ProjectStores refuses them here).
                try insertDecision(session, decision)
                accepted += 1
            }
            for (predictionId, value) in plan.calibrated {
                try session.execute("""
                    UPDATE predictions SET calibrated_confidence = ?, calibrated_label = ?, shown_source = ?, alternative_json = ?,
                        calibrated_probabilities_json = ?
                    WHERE id = ?
                    """, [value.confidence, value.label, value.source?.rawValue, value.alternative.map(StoreRecords.encode),
                          value.calibratedProbabilities.map(JSONText.encode), predictionId])
            }
            try writeQueueOrder(session, plan.queueOrder)
            return accepted
        }
    }

    public func saveLearnerOpinions(_ opinions: [Int64: [Double]], trainedOn: Int) throws {
        guard !opinions.isEmpty else { return }
        let sorted = opinions.sorted { $0.key < $1.key }
        _ = try connections.transaction { session in
            // Only while the item is open: a decided item keeps the opinion it was decided with.
            try session.execute("""
                INSERT INTO learner_opinions (item_id, probabilities_json, trained_on, created_at)
                SELECT o.item_id, o.probabilities_json, ?, ? FROM unnest(?::bigint[], ?::text[]) AS o(item_id, probabilities_json)
                WHERE EXISTS (SELECT 1 FROM item_queue q WHERE q.item_id = o.item_id AND q.open = 1 AND q.human_labels = 0)
                ON CONFLICT (item_id) DO UPDATE SET probabilities_json = excluded.probabilities_json,
                    trained_on = excluded.trained_on, created_at = excluded.created_at
                """, [trainedOn, Date().timeIntervalSince1970, PostgresArray.integers(sorted.map(\.key)),
                      PostgresArray.text(sorted.map { JSONText.encodeNumbers($0.value) })])
        }
    }

    public func learnerOpinions(itemIds: [Int64]) throws -> [Int64: [Double]] {
        guard !itemIds.isEmpty else { return [:] }
        return try connections.withConnection { session in
            var result: [Int64: [Double]] = [:]
            for row in try session.rows("""
                SELECT item_id, probabilities_json FROM learner_opinions WHERE item_id = ANY(?::bigint[])
                """, [PostgresArray.integers(itemIds)]) {
                result[row.int64("item_id")] = JSONText.decodeNumbers(row.string("probabilities_json"))
            }
            return result
        }
    }

    public func predictionUsage() throws -> PredictionUsage {
        try connections.withConnection { session in
            var usage = PredictionUsage()
            // SUM of a BIGINT column is NUMERIC, which the row mapping cannot read (it read 0 tokens):
            // cast the token sums back to BIGINT.
            let totals = """
                COUNT(*) AS calls, COALESCE(SUM(CASE WHEN is_valid = 0 THEN 1 ELSE 0 END), 0) AS invalid,
                COALESCE(SUM(tokens_in), 0)::bigint AS tokens_in, COALESCE(SUM(tokens_out), 0)::bigint AS tokens_out,
                COALESCE(SUM(cost_usd), 0) AS cost
                """
            if let row = try session.row("SELECT \(totals) FROM predictions WHERE source != 'imported'") {
                usage.calls = row.int("calls")
                usage.invalid = row.int("invalid")
                usage.tokensIn = row.int("tokens_in")
                usage.tokensOut = row.int("tokens_out")
                usage.costUSD = row.double("cost")
            }
            usage.byModel = try session.rows("""
                SELECT model, \(totals) FROM predictions WHERE source != 'imported' GROUP BY model ORDER BY calls DESC, model
                """).map { row in
                    ModelUsage(model: row.string("model"), calls: row.int("calls"), invalid: row.int("invalid"),
                               tokensIn: row.int("tokens_in"), tokensOut: row.int("tokens_out"), costUSD: row.double("cost"))
                }
            if usage.calls > 0 {
                // The lower median, as the SQLite store computes it.
                usage.medianLatencyMs = try session.row("""
                    SELECT latency_ms FROM predictions WHERE source != 'imported' AND latency_ms > 0
                    ORDER BY latency_ms LIMIT 1
                    OFFSET (SELECT COUNT(*) / 2 FROM predictions WHERE source != 'imported' AND latency_ms > 0)
                    """)?.optionalDouble("latency_ms")
            }
            return usage
        }
    }

    public func observeQueueChanges(_ onChange: @escaping @Sendable () -> Void) throws -> (any QueueObservation)? {
        try PostgresQueueListener(store: self, onChange: onChange)
    }

    // MARK: Calibration

    public func saveCalibration(model: String, calibratorJSON: String, verifiedOutcomes: Int, measuredAccuracy: Double) throws {
        try connections.withConnection { session in
            try upsertCalibration(session, StoredCalibration(model: model, calibratorJSON: calibratorJSON,
                                                             verifiedOutcomes: verifiedOutcomes, measuredAccuracy: measuredAccuracy))
        }
    }

    func upsertCalibration(_ session: PostgresSession, _ calibration: StoredCalibration) throws {
        try session.execute("""
            INSERT INTO calibrations (model, calibrator_json, verified_outcomes, measured_accuracy, updated_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (model) DO UPDATE SET calibrator_json = excluded.calibrator_json,
                verified_outcomes = excluded.verified_outcomes, measured_accuracy = excluded.measured_accuracy,
                updated_at = excluded.updated_at
            """, [calibration.model, calibration.calibratorJSON, calibration.verifiedOutcomes,
                  calibration.measuredAccuracy, Date().timeIntervalSince1970])
    }

    public func calibration(model: String) throws -> (calibratorJSON: String, verifiedOutcomes: Int, measuredAccuracy: Double)? {
        try connections.withConnection { session in
            try storedCalibration(session, model: model).map { ($0.calibratorJSON, $0.verifiedOutcomes, $0.measuredAccuracy) }
        }
    }

}
