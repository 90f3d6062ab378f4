import Foundation
import GRDB
import Synchronization

/// The SQLite implementation of `AnnotationStore`: one database file in WAL mode, shared by
/// every annotty process on the project. All SQL of annotty lives in this folder.
public final class SQLiteStore: AnnotationStore {
    /// Reading commands open the store read-only, so that they work on a project they cannot
    /// write (a read-only mount, someone else's files) and can never change it.
    public enum Access: Sendable {
        case readWrite
        case readOnly
    }

    public let path: String
    public let access: Access
    let pool: StoreDatabase
    public let overlapPolicy: OverlapPolicy
    /// Where golden questions go in a claimed batch; seeded so a test (or an audit of who saw
    /// which question where) can replay it.
    private let goldenMixing: Mutex<SeededGenerator>

    /// Opens (or, read-write, creates) the database at `path`, checks that it is whole, and
    /// brings its schema up to date. Failures are `StoreFileError`s naming the file and what to do.
    /// - Parameter goldenSeed: seed of the golden-question mixing; nil seeds from the clock.
    public init(path: String, overlapPolicy: OverlapPolicy = OverlapPolicy(), access: Access = .readWrite,
                goldenSeed: UInt64? = nil) throws {
        self.path = path
        self.access = access
        self.overlapPolicy = overlapPolicy
        goldenMixing = Mutex(SeededGenerator(seed: goldenSeed ?? UInt64(Date().timeIntervalSince1970 * 1_000_000)))
        do {
            try StoreIntegrity.checkBeforeOpening(path: path)
            pool = try Self.open(path: path, access: access)
            if access == .readWrite {
                try StoreMigrations.migrator.migrate(pool.writer!)
                // A decision must survive a power cut once recordDecision returns: a flush per
                // commit. GRDB's pool sets synchronous = NORMAL on its writer when it turns WAL on,
                // after `prepareDatabase` ran, so it is set again here, on the one writer connection.
                try pool.writer!.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            } else if try !pool.reader.read({ try StoreMigrations.migrator.hasCompletedMigrations($0) }) {
                throw StoreFileError.needsUpgrade(path: path)
            }
        } catch {
            throw StoreFileError.mapping(error, path: path)
        }
    }

    private static func open(path: String, access: Access) throws -> StoreDatabase {
        var configuration = Configuration()
        // Several labeling processes share one file: wait for the writer instead of failing.
        configuration.busyMode = .timeout(30)
        switch access {
        case .readWrite:
            let pool = try DatabasePool(path: path, configuration: configuration)
            return StoreDatabase(reader: pool, writer: pool, path: path)
        case .readOnly:
            configuration.readonly = true
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                // Opening is lazy: read once so that a folder where SQLite cannot create the
                // WAL's shared-memory file fails here, where the fallback below can catch it.
                _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
                return StoreDatabase(reader: pool, writer: nil, path: path)
            } catch let error as DatabaseError where [.SQLITE_CANTOPEN, .SQLITE_READONLY].contains(error.resultCode) {
                // A WAL database in a folder nobody may write: SQLite can still read it as an
                // immutable file, which is exactly what it is to us while no one can write it.
                guard !FileManager.default.fileExists(atPath: path + "-wal") else { throw error }
                let uri = "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?immutable=1"
                let queue = try DatabaseQueue(path: uri, configuration: configuration)
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                try StoreIntegrity.checkPages(queue, path: path, size: size)
                return StoreDatabase(reader: queue, writer: nil, path: path)
            }
        }
    }

    // MARK: Items

    public func importItems(_ produce: (inout any ImportSink) throws -> Void) throws -> ImportSummary {
        try pool.write { db in
            // A large import touches the dedup index all over; a bigger page cache keeps SQLite
            // from spilling half-built pages to disk mid-transaction. Restored afterwards.
            let previousCacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -65536")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(previousCacheSize)") }
            let firstNewId = (try Int64.fetchOne(db, sql: "SELECT IFNULL(MAX(id), 0) FROM items") ?? 0) + 1
            var sink: any ImportSink = StatementImportSink(db: db, now: Date().timeIntervalSince1970)
            try produce(&sink)
            let summary = (sink as! StatementImportSink).summary
            try db.execute(sql: """
                INSERT INTO item_queue (item_id, rank, open, labels_needed)
                SELECT id, id, CASE WHEN is_golden = 1 THEN 0 ELSE 1 END, ? FROM items WHERE id >= ?
                """, arguments: [overlapPolicy.overlap, firstNewId])
            for itemId in try Int64.fetchAll(db, sql: "SELECT DISTINCT item_id FROM decisions WHERE item_id >= ?", arguments: [firstNewId]) {
                try updateQueueState(db, itemId: itemId)
            }
            return summary
        }
    }

    public func item(id: Int64) throws -> Item? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM items WHERE id = ?", arguments: [id]).map(Self.item(from:))
        }
    }

    public func items(ids: [Int64]) throws -> [Item] {
        guard !ids.isEmpty else { return [] }
        return try pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM items WHERE id IN (\(Self.placeholders(ids.count)))",
                                        arguments: StatementArguments(ids))
            let byId = Dictionary(uniqueKeysWithValues: rows.map { row in (row["id"] as Int64, Self.item(from: row)) })
            return ids.compactMap { byId[$0] }
        }
    }

    public func itemId(externalId: String) throws -> Int64? {
        try pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM items WHERE external_id = ? ORDER BY id LIMIT 1", arguments: [externalId])
        }
    }

    public func statusCounts() throws -> StatusCounts {
        try pool.read { db in
            var counts = StatusCounts()
            counts.items = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM items") ?? 0
            counts.golden = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM items WHERE is_golden = 1") ?? 0
            counts.open = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item_queue WHERE open = 1") ?? 0
            counts.autoAccepted = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item_queue WHERE final_kind = 'auto'") ?? 0
            counts.labelledByPeople = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM item_queue WHERE final_label IS NOT NULL AND final_kind != 'auto'
                """) ?? 0
            counts.predicted = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT item_id) FROM predictions WHERE is_valid = 1") ?? 0
            counts.invalidPredictions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM predictions WHERE is_valid = 0") ?? 0
            counts.decisions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM decisions") ?? 0
            for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) AS n FROM decisions GROUP BY kind") {
                if let kind = DecisionKind(rawValue: row["kind"]) { counts.decisionsByKind[kind] = row["n"] }
            }
            counts.annotators = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM annotators") ?? 0
            return counts
        }
    }

    // MARK: Queue

    public func claimNextItems(annotator: String, limit: Int, excluding: Set<Int64>, leaseSeconds: Int,
                               resumingLeases: Bool) throws -> [QueuedItem] {
        let now = Date().timeIntervalSince1970
        let ids: [Int64] = try pool.write { db in
            // Items this person still holds a lease on come first, in the order they were
            // claimed (a lease's rowid grows with each claim), so that reopening after a quit, a
            // kill or a lost connection shows the item left on screen. A claim after a re-rank
            // does not resume: the new order stands.
            var leased: [Int64] = []
            if resumingLeases {
                // CROSS JOIN keeps leases (a handful of rows) as the outer loop; left to itself
                // SQLite walks every open item of the queue (100 ms on a million items).
                leased = try Int64.fetchAll(db, sql: """
                    SELECT l.item_id FROM leases l CROSS JOIN item_queue q ON q.item_id = l.item_id
                    WHERE l.annotator = :annotator AND q.open = 1
                      AND NOT EXISTS (
                          SELECT 1 FROM effective_decisions d WHERE d.item_id = l.item_id AND d.annotator = :annotator)
                    ORDER BY l.rowid
                    """, arguments: ["annotator": annotator])
            }
            // Then the queue: open, not already decided by this person, and not reserved by
            // enough others to cover the labels still needed, in queue order (the index's order).
            let queued = try Int64.fetchAll(db, sql: """
                SELECT q.item_id FROM item_queue q
                WHERE q.open = 1
                  AND NOT EXISTS (
                      SELECT 1 FROM effective_decisions d WHERE d.item_id = q.item_id AND d.annotator = :annotator)
                  AND q.human_labels + (
                      SELECT COUNT(*) FROM leases l
                      WHERE l.item_id = q.item_id AND l.annotator != :annotator AND l.expires_at > :now
                  ) < q.labels_needed
                ORDER BY q.rank, q.item_id
                LIMIT :limit
                """, arguments: ["annotator": annotator, "now": now, "limit": limit + excluding.count + leased.count])
            var chosen = ClaimChoice.choose(leased: leased, queued: queued, excluding: excluding, limit: limit)
            if overlapPolicy.goldenRate > 0 {
                chosen = try mixInGoldenQuestions(db, into: chosen, annotator: annotator, limit: limit, excluding: excluding)
            }
            // A lease already held keeps its place in the claim order; a new one goes last.
            for itemId in chosen {
                try db.execute(sql: """
                    INSERT INTO leases (item_id, annotator, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT(item_id, annotator) DO UPDATE SET expires_at = excluded.expires_at
                    """, arguments: [itemId, annotator, now + Double(leaseSeconds)])
            }
            return chosen
        }
        let items = try self.items(ids: ids)
        let predictions = try latestPredictions(itemIds: ids)
        return items.map { QueuedItem(item: $0, prediction: predictions[$0.id]) }
    }

    /// Replaces queue slots with golden questions this person has not answered, each slot with
    /// probability `goldenRate`, at random positions, so they cannot be told apart by place.
    private func mixInGoldenQuestions(_ db: Database, into chosen: [Int64], annotator: String, limit: Int,
                                      excluding: Set<Int64>) throws -> [Int64] {
        let golden = try Int64.fetchAll(db, sql: """
            SELECT i.id FROM items i WHERE i.is_golden = 1
              AND NOT EXISTS (SELECT 1 FROM effective_decisions d WHERE d.item_id = i.id AND d.annotator = ?)
            """, arguments: [annotator]).filter { !excluding.contains($0) }
        return goldenMixing.withLock { generator in
            GoldenMixing.mix(golden: golden, into: chosen, limit: limit, rate: overlapPolicy.goldenRate, generator: &generator)
        }
    }

    public func openItemIds(limit: Int) throws -> [Int64] {
        try pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT item_id FROM item_queue WHERE open = 1 ORDER BY rank, item_id LIMIT ?",
                               arguments: [limit])
        }
    }

    public func replaceQueueOrder(_ rankedItemIds: [Int64]) throws {
        try pool.write { db in try writeQueueOrder(db, rankedItemIds) }
    }

    private func writeQueueOrder(_ db: Database, _ rankedItemIds: [Int64]) throws {
        // Items not named keep their relative order behind the ranked ones.
        let offset = Double(rankedItemIds.count)
        try db.execute(sql: "UPDATE item_queue SET rank = ? + item_id WHERE open = 1", arguments: [offset])
        let statement = try db.makeStatement(sql: "UPDATE item_queue SET rank = ? WHERE item_id = ?")
        for (position, itemId) in rankedItemIds.enumerated() {
            try statement.execute(arguments: [Double(position) - offset, itemId])
        }
    }

    public func releaseLeases(annotator: String, keeping kept: Int64?) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM leases WHERE annotator = ? AND item_id IS NOT ?", arguments: [annotator, kept])
        }
    }

    // MARK: Predictions

    @discardableResult
    public func savePrediction(_ prediction: Prediction) throws -> Prediction {
        try pool.write { db in
            let learner = try String.fetchOne(db.cachedStatement(sql: """
                SELECT probabilities_json FROM learner_opinions WHERE item_id = ?
                """), arguments: [prediction.itemId]).map(JSONText.decodeNumbers)
            let calibrated = StoreRecords.calibratedForSaving(prediction, stored: try storedCalibrationRow(db, model: prediction.model),
                                                              learner: learner)
            try db.cachedStatement(sql: """
                INSERT INTO predictions (item_id, model, source, label, probabilities_json, calibrated_confidence,
                    is_valid, error, raw_answer, prompt_hash, latency_ms, tokens_in, tokens_out, cost_usd, created_at,
                    calibrated_label, shown_source, alternative_json, calibrated_probabilities_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    calibrated.itemId, calibrated.model, calibrated.source.rawValue, calibrated.label,
                    JSONText.encode(calibrated.probabilities), calibrated.calibratedConfidence, calibrated.isValid,
                    calibrated.error, calibrated.rawAnswer, calibrated.promptHash, calibrated.latencyMs,
                    calibrated.tokensIn, calibrated.tokensOut, calibrated.costUSD,
                    calibrated.createdAt.timeIntervalSince1970, calibrated.calibratedLabel,
                    calibrated.shownSource?.rawValue, calibrated.alternative.map(StoreRecords.encode),
                    calibrated.calibratedProbabilities.map(JSONText.encode),
                ])
            var saved = calibrated
            saved.id = db.lastInsertedRowID
            return saved
        }
    }

    /// The model's calibration row as stored (single- or multi-label), read inside the caller's transaction.
    private func storedCalibrationRow(_ db: Database, model: String) throws -> StoredCalibration? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM calibrations WHERE model = ?"), arguments: [model]).map { row in
            StoredCalibration(model: model, calibratorJSON: row["calibrator_json"], verifiedOutcomes: row["verified_outcomes"],
                              measuredAccuracy: row["measured_accuracy"])
        }
    }

    public func cachedPrediction(model: String, promptHash: String) throws -> Prediction? {
        try pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM predictions WHERE model = ? AND prompt_hash = ? AND is_valid = 1 ORDER BY id DESC LIMIT 1
                """, arguments: [model, promptHash]).map(Self.prediction(from:))
        }
    }

    public func latestPredictions(itemIds: [Int64]) throws -> [Int64: Prediction] {
        guard !itemIds.isEmpty else { return [:] }
        return try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT p.* FROM predictions p
                WHERE p.id = (SELECT MAX(id) FROM predictions WHERE item_id = p.item_id)
                  AND p.item_id IN (\(Self.placeholders(itemIds.count)))
                """, arguments: StatementArguments(itemIds))
            var result: [Int64: Prediction] = [:]
            for row in rows {
                let prediction = Self.prediction(from: row)
                result[prediction.itemId] = prediction
            }
            return result
        }
    }

    public func allLatestPredictions(model: String?) throws -> [Prediction] {
        try pool.read { db in
            let filter = model == nil ? "" : "AND p.model = ?"
            let arguments: StatementArguments = model.map { [$0] } ?? []
            return try Row.fetchAll(db, sql: """
                SELECT p.* FROM predictions p
                WHERE p.id = (SELECT MAX(id) FROM predictions q WHERE q.item_id = p.item_id AND q.model = p.model)
                \(filter) ORDER BY p.item_id
                """, arguments: arguments).map(Self.prediction(from:))
        }
    }

    @discardableResult
    public func applyRoutingPlan(_ plan: RoutingPlan) throws -> Int {
        try pool.write { db in
            for calibration in plan.calibrations { try upsertCalibration(db, calibration) }
            var accepted = 0
            for decision in plan.autoAccepts {
                // A person may have decided the item since the plan was made: theirs stands.
                let open = try Bool.fetchOne(db.cachedStatement(sql: """
                    SELECT open = 1 AND human_labels = 0 FROM item_queue WHERE item_id = ?
                    """), arguments: [decision.itemId]) ?? false
                guard open else { continue }
                let saved = try insertDecision(db, decision)
                // An auto-accepted span set is written with its spans, as a person's would be.
                try insertSpanRows(db, for: saved)
                accepted += 1
            }
            let statement = try db.makeStatement(sql: """
                UPDATE predictions SET calibrated_confidence = ?, calibrated_label = ?, shown_source = ?, alternative_json = ?,
                    calibrated_probabilities_json = ?
                WHERE id = ?
                """)
            for (predictionId, value) in plan.calibrated {
                try statement.execute(arguments: [value.confidence, value.label, value.source?.rawValue,
                                                  value.alternative.map(StoreRecords.encode),
                                                  value.calibratedProbabilities.map(JSONText.encode), predictionId])
            }
            try writeQueueOrder(db, plan.queueOrder)
            return accepted
        }
    }

    public func saveLearnerOpinions(_ opinions: [Int64: [Double]], trainedOn: Int) throws {
        guard !opinions.isEmpty else { return }
        try pool.write { db in
            // Only while the item is open: a decided item keeps the opinion it was decided with.
            let statement = try db.makeStatement(sql: """
                INSERT INTO learner_opinions (item_id, probabilities_json, trained_on, created_at)
                SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM item_queue WHERE item_id = ? AND open = 1 AND human_labels = 0)
                ON CONFLICT(item_id) DO UPDATE SET probabilities_json = excluded.probabilities_json,
                    trained_on = excluded.trained_on, created_at = excluded.created_at
                """)
            let now = Date().timeIntervalSince1970
            for (itemId, vector) in opinions {
                try statement.execute(arguments: [itemId, JSONText.encodeNumbers(vector), trainedOn, now, itemId])
            }
        }
    }

    public func learnerOpinions(itemIds: [Int64]) throws -> [Int64: [Double]] {
        guard !itemIds.isEmpty else { return [:] }
        return try pool.read { db in
            var result: [Int64: [Double]] = [:]
            // In chunks: SQLite bounds the number of parameters in one statement.
            for start in stride(from: 0, to: itemIds.count, by: 10_000) {
                let chunk = Array(itemIds[start..<min(start + 10_000, itemIds.count)])
                let rows = try Row.fetchAll(db, sql: """
                    SELECT item_id, probabilities_json FROM learner_opinions WHERE item_id IN (\(Self.placeholders(chunk.count)))
                    """, arguments: StatementArguments(chunk))
                for row in rows { result[row["item_id"]] = JSONText.decodeNumbers(row["probabilities_json"]) }
            }
            return result
        }
    }

    public func predictionUsage() throws -> PredictionUsage {
        try pool.read { db in
            var usage = PredictionUsage()
            if let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS calls, SUM(is_valid = 0) AS invalid, SUM(tokens_in) AS tokens_in,
                       SUM(tokens_out) AS tokens_out, SUM(cost_usd) AS cost FROM predictions WHERE source != 'imported'
                """) {
                usage.calls = row["calls"] ?? 0
                usage.invalid = row["invalid"] ?? 0
                usage.tokensIn = row["tokens_in"] ?? 0
                usage.tokensOut = row["tokens_out"] ?? 0
                usage.costUSD = row["cost"] ?? 0
            }
            usage.byModel = try Row.fetchAll(db, sql: """
                SELECT model, COUNT(*) AS calls, SUM(is_valid = 0) AS invalid, SUM(tokens_in) AS tokens_in,
                       SUM(tokens_out) AS tokens_out, SUM(cost_usd) AS cost FROM predictions WHERE source != 'imported'
                GROUP BY model ORDER BY calls DESC, model
                """).map { row in
                    ModelUsage(model: row["model"], calls: row["calls"] ?? 0, invalid: row["invalid"] ?? 0,
                               tokensIn: row["tokens_in"] ?? 0, tokensOut: row["tokens_out"] ?? 0, costUSD: row["cost"] ?? 0)
                }
            if usage.calls > 0 {
                usage.medianLatencyMs = try Double.fetchOne(db, sql: """
                    SELECT latency_ms FROM predictions WHERE source != 'imported' AND latency_ms > 0
                    ORDER BY latency_ms LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM predictions WHERE source != 'imported' AND latency_ms > 0)
                    """)
            }
            return usage
        }
    }

    // MARK: Decisions

    @discardableResult
    public func recordDecision(_ decision: Decision) throws -> Decision {
        try pool.write { db in
            try insertDecision(db, decision)
        }
    }

    public func undoLastDecision(annotator: String) throws -> Decision? {
        try pool.write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT * FROM effective_decisions d
                WHERE d.annotator = ? AND d.kind NOT IN ('auto', 'imported')
                ORDER BY d.id DESC LIMIT 1
                """, arguments: [annotator]) else { return nil }
            let undone = Self.decision(from: row)
            try insertDecision(db, Decision(itemId: undone.itemId, annotator: annotator, kind: .undo,
                                            undoesDecisionId: undone.id))
            return undone
        }
    }

    public func decisions(itemId: Int64) throws -> [Decision] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM decisions WHERE item_id = ? ORDER BY id", arguments: [itemId])
                .map(Self.decision(from:))
        }
    }

    public func distinctDecisionLabels(limit: Int) throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT label FROM effective_decisions WHERE label IS NOT NULL ORDER BY label LIMIT ?
                """, arguments: [limit])
        }
    }

    public func effectiveDecisions() throws -> [Decision] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM effective_decisions ORDER BY id
                """).map(Self.decision(from:))
        }
    }

    public func allDecisions() throws -> [Decision] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM decisions ORDER BY id").map(Self.decision(from:))
        }
    }

    // MARK: Export

    public func forEachExportRow(_ body: (ExportRow) throws -> Void) throws {
        try pool.read { db in
            let decisionsByItem = Dictionary(grouping: try Row.fetchAll(db, sql: """
                SELECT * FROM effective_decisions WHERE kind != 'skip' ORDER BY id
                """).map(Self.decision(from:)), by: \.itemId)
            var aggregatesByItem: [Int64: [String: AggregatedLabel]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM aggregates") {
                let aggregate = StoreRecords.aggregate(from: row)
                aggregatesByItem[aggregate.itemId, default: [:]][row["method"]] = aggregate
            }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT i.*, q.final_label, q.final_kind, p.id AS p_id FROM items i
                LEFT JOIN item_queue q ON q.item_id = i.id
                LEFT JOIN predictions p ON p.id = (SELECT MAX(id) FROM predictions WHERE item_id = i.id)
                ORDER BY i.id
                """)
            while let row = try rows.next() {
                let item = Self.item(from: row)
                var prediction: Prediction?
                if let predictionId: Int64 = row["p_id"] {
                    prediction = try Row.fetchOne(db, sql: "SELECT * FROM predictions WHERE id = ?",
                                                  arguments: [predictionId]).map(Self.prediction(from:))
                }
                let finalKind: String? = row["final_kind"]
                try body(ExportRow(item: item, finalLabel: row["final_label"],
                                   finalKind: finalKind.flatMap(DecisionKind.init(rawValue:)),
                                   decisions: decisionsByItem[item.id] ?? [], latestPrediction: prediction,
                                   aggregates: aggregatesByItem[item.id] ?? [:]))
            }
        }
    }

    // MARK: Teams

    public func importAnnotations(_ produce: (inout any AnnotationImportSink) throws -> Void) throws -> AnnotationImportCounts {
        try pool.write { db in
            var sink: any AnnotationImportSink = StatementAnnotationSink(db: db, now: Date().timeIntervalSince1970)
            try produce(&sink)
            let finished = sink as! StatementAnnotationSink
            for itemId in finished.touchedItems {
                try updateQueueState(db, itemId: itemId)
            }
            return AnnotationImportCounts(recorded: finished.recorded, alreadyImported: finished.alreadyImported)
        }
    }

    public func finalLabels() throws -> [Int64: (label: String, kind: DecisionKind)] {
        try pool.read { db in
            var result: [Int64: (label: String, kind: DecisionKind)] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT item_id, final_label, final_kind FROM item_queue WHERE final_label IS NOT NULL
                """) {
                result[row["item_id"]] = (row["final_label"], DecisionKind(rawValue: row["final_kind"] ?? "") ?? .correct)
            }
            return result
        }
    }

    public func goldenItemIds() throws -> Set<Int64> {
        try pool.read { db in Set(try Int64.fetchAll(db, sql: "SELECT id FROM items WHERE is_golden = 1")) }
    }

    public func goldLabels() throws -> [Int64: String] {
        try pool.read { db in
            var result: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, gold_label FROM items WHERE gold_label IS NOT NULL") {
                result[row["id"]] = row["gold_label"]
            }
            return result
        }
    }

    public func replaceAggregates(method: String, _ labels: [AggregatedLabel]) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM aggregates WHERE method = ?", arguments: [method])
            let now = Date().timeIntervalSince1970
            let statement = try db.makeStatement(sql: """
                INSERT INTO aggregates (item_id, method, label, posteriors_json, created_at) VALUES (?, ?, ?, ?, ?)
                """)
            for aggregate in labels {
                try statement.execute(arguments: [aggregate.itemId, method, aggregate.label,
                                                  JSONText.encode(aggregate.posteriors), now])
            }
        }
    }

    public func aggregates(method: String) throws -> [Int64: AggregatedLabel] {
        try pool.read { db in
            var result: [Int64: AggregatedLabel] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM aggregates WHERE method = ?", arguments: [method]) {
                let aggregate = StoreRecords.aggregate(from: row)
                result[aggregate.itemId] = aggregate
            }
            return result
        }
    }

    /// SQLite has no way to announce a change to other processes: their screens look again now and then.
    public func observeQueueChanges(_ onChange: @escaping @Sendable () -> Void) throws -> (any QueueObservation)? { nil }

    // MARK: Calibration

    public func saveCalibration(model: String, calibratorJSON: String, verifiedOutcomes: Int, measuredAccuracy: Double) throws {
        try pool.write { db in
            try upsertCalibration(db, StoredCalibration(model: model, calibratorJSON: calibratorJSON,
                                                        verifiedOutcomes: verifiedOutcomes, measuredAccuracy: measuredAccuracy))
        }
    }

    private func upsertCalibration(_ db: Database, _ calibration: StoredCalibration) throws {
        try db.execute(sql: """
            INSERT INTO calibrations (model, calibrator_json, verified_outcomes, measured_accuracy, updated_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(model) DO UPDATE SET calibrator_json = excluded.calibrator_json,
                verified_outcomes = excluded.verified_outcomes, measured_accuracy = excluded.measured_accuracy,
                updated_at = excluded.updated_at
            """, arguments: [calibration.model, calibration.calibratorJSON, calibration.verifiedOutcomes,
                             calibration.measuredAccuracy, Date().timeIntervalSince1970])
    }

    public func calibration(model: String) throws -> (calibratorJSON: String, verifiedOutcomes: Int, measuredAccuracy: Double)? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM calibrations WHERE model = ?", arguments: [model]) else {
                return nil
            }
            return (row["calibrator_json"], row["verified_outcomes"], row["measured_accuracy"])
        }
    }

    // MARK: Internals

    @discardableResult
    func insertDecision(_ db: Database, _ decision: Decision) throws -> Decision {
        if let undone = decision.undoesDecisionId {
            let already = try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM decisions WHERE undoes_decision_id = ?)"),
                                            arguments: [undone]) ?? false
            if already { throw StoreError.alreadyUndone(decisionId: undone) }
        }
        // Cached statements: a commit per key press should not recompile its SQL each time.
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)")
            .execute(arguments: [decision.annotator, Date().timeIntervalSince1970])
        try db.cachedStatement(sql: """
            INSERT INTO decisions (item_id, annotator, kind, label, shown_label, shown_confidence, shown_source,
                prediction_id, time_spent_ms, note, undoes_decision_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                decision.itemId, decision.annotator, decision.kind.rawValue, decision.label, decision.shownLabel,
                decision.shownConfidence, decision.shownSource?.rawValue, decision.predictionId, decision.timeSpentMs,
                decision.note, decision.undoesDecisionId, decision.createdAt.timeIntervalSince1970,
            ])
        var saved = decision
        saved.id = db.lastInsertedRowID
        if decision.kind.carriesLabel || decision.kind == .undo {
            try db.cachedStatement(sql: "DELETE FROM leases WHERE item_id = ? AND annotator = ?")
                .execute(arguments: [decision.itemId, decision.annotator])
        }
        try updateQueueState(db, itemId: decision.itemId)
        return saved
    }

    /// Recomputes an item's derived queue state from its decisions.
    func updateQueueState(_ db: Database, itemId: Int64) throws {
        let decisions = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM decisions WHERE item_id = ? ORDER BY id"),
                                         arguments: [itemId]).map(Self.decision(from:))
        let state = ItemQueueState(decisions: decisions, policy: overlapPolicy)
        let isGolden = try Bool.fetchOne(db.cachedStatement(sql: "SELECT is_golden FROM items WHERE id = ?"), arguments: [itemId]) ?? false
        try db.cachedStatement(sql: """
            UPDATE item_queue SET open = ?, human_labels = ?, labels_needed = ?, final_label = ?, final_kind = ?
            WHERE item_id = ?
            """).execute(arguments: [state.isOpen && !isGolden, state.humanLabels, state.labelsNeeded, state.finalLabel,
                             state.finalKind?.rawValue, itemId])
    }

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }

    static func item(from row: Row) -> Item { StoreRecords.item(from: row) }

    static func prediction(from row: Row) -> Prediction { StoreRecords.prediction(from: row) }

    static func decision(from row: Row) -> Decision { StoreRecords.decision(from: row) }
}

public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case alreadyUndone(decisionId: Int64)

    public var description: String {
        switch self {
        case .alreadyUndone(let id): return "decision \(id) is already undone"
        }
    }
}

extension SQLiteStore {
    /// Every row of every table as text, in a stable order: compares two states of a
    /// database exactly (a failed import must leave it as it was).
    public func snapshot() throws -> String {
        try pool.read { db in
            var out = ""
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                ORDER BY name
                """)
            for table in tables {
                out += "## \(table)\n"
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY rowid") {
                    out += row.description + "\n"
                }
            }
            return out
        }
    }
}
