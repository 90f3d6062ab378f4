import Foundation

/// Numbered schema migrations of the PostgreSQL store. The schema is the SQLite store's
/// (`StoreMigrations`) in PostgreSQL's types, column for column, so that `store copy` moves
/// every row unchanged. A landed migration is never edited: add the next one.
enum PostgresMigrations {
    static let all: [(name: String, sql: String)] = [
        ("001-schema-as-sqlite-007", """
            CREATE TABLE items (
                id BIGSERIAL PRIMARY KEY,
                external_id TEXT,
                text TEXT NOT NULL,
                fields_json TEXT NOT NULL DEFAULT '[]',
                metadata_json TEXT,
                content_hash BYTEA NOT NULL UNIQUE,
                gold_label TEXT,
                is_golden BIGINT NOT NULL DEFAULT 0,
                created_at DOUBLE PRECISION NOT NULL
            );
            CREATE INDEX items_external_id ON items(external_id);

            CREATE TABLE item_queue (
                item_id BIGINT PRIMARY KEY REFERENCES items(id),
                rank DOUBLE PRECISION NOT NULL,
                open BIGINT NOT NULL DEFAULT 1,
                human_labels BIGINT NOT NULL DEFAULT 0,
                labels_needed BIGINT NOT NULL DEFAULT 1,
                final_label TEXT,
                final_kind TEXT
            );
            CREATE INDEX item_queue_open_rank ON item_queue(open, rank, item_id);

            CREATE TABLE predictions (
                id BIGSERIAL PRIMARY KEY,
                item_id BIGINT NOT NULL REFERENCES items(id),
                model TEXT NOT NULL,
                source TEXT NOT NULL,
                label TEXT,
                probabilities_json TEXT NOT NULL DEFAULT '{}',
                calibrated_confidence DOUBLE PRECISION,
                is_valid BIGINT NOT NULL,
                error TEXT,
                raw_answer TEXT,
                prompt_hash TEXT NOT NULL,
                latency_ms DOUBLE PRECISION NOT NULL DEFAULT 0,
                tokens_in BIGINT NOT NULL DEFAULT 0,
                tokens_out BIGINT NOT NULL DEFAULT 0,
                cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
                created_at DOUBLE PRECISION NOT NULL,
                calibrated_label TEXT,
                shown_source TEXT,
                alternative_json TEXT,
                calibrated_probabilities_json TEXT
            );
            CREATE INDEX predictions_item ON predictions(item_id, id);
            CREATE INDEX predictions_cache ON predictions(model, prompt_hash);

            CREATE TABLE decisions (
                id BIGSERIAL PRIMARY KEY,
                item_id BIGINT NOT NULL REFERENCES items(id),
                annotator TEXT NOT NULL,
                kind TEXT NOT NULL,
                label TEXT,
                shown_label TEXT,
                shown_confidence DOUBLE PRECISION,
                shown_source TEXT,
                prediction_id BIGINT,
                time_spent_ms BIGINT NOT NULL DEFAULT 0,
                note TEXT,
                undoes_decision_id BIGINT REFERENCES decisions(id),
                created_at DOUBLE PRECISION NOT NULL
            );
            CREATE INDEX decisions_item ON decisions(item_id, annotator);
            CREATE INDEX decisions_annotator ON decisions(annotator, id);
            CREATE UNIQUE INDEX decisions_undo_once ON decisions(undoes_decision_id) WHERE undoes_decision_id IS NOT NULL;

            CREATE TABLE annotators (
                name TEXT PRIMARY KEY,
                created_at DOUBLE PRECISION NOT NULL
            );

            -- claim_order stands in for SQLite's rowid: the order a person's leases were taken.
            CREATE TABLE leases (
                item_id BIGINT NOT NULL REFERENCES items(id),
                annotator TEXT NOT NULL,
                expires_at DOUBLE PRECISION NOT NULL,
                claim_order BIGSERIAL,
                PRIMARY KEY (item_id, annotator)
            );

            CREATE TABLE calibrations (
                model TEXT PRIMARY KEY,
                calibrator_json TEXT NOT NULL,
                verified_outcomes BIGINT NOT NULL,
                measured_accuracy DOUBLE PRECISION NOT NULL,
                updated_at DOUBLE PRECISION NOT NULL
            );

            CREATE TABLE project_meta (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );

            CREATE TABLE aggregates (
                item_id BIGINT NOT NULL REFERENCES items(id),
                method TEXT NOT NULL,
                label TEXT,
                posteriors_json TEXT NOT NULL DEFAULT '{}',
                created_at DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (item_id, method)
            );

            CREATE VIEW effective_decisions AS
                SELECT d.* FROM decisions d
                WHERE d.kind != 'undo'
                  AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.undoes_decision_id = d.id);

            CREATE TABLE decision_spans (
                decision_id BIGINT NOT NULL REFERENCES decisions(id),
                start_offset BIGINT NOT NULL,
                end_offset BIGINT NOT NULL,
                type TEXT NOT NULL,
                text TEXT NOT NULL,
                PRIMARY KEY (decision_id, start_offset, end_offset, type)
            );

            CREATE TABLE learner_opinions (
                item_id BIGINT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
                probabilities_json TEXT NOT NULL,
                trained_on BIGINT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL
            );

            -- Work that appears for people is announced on annotty_queue (once per transaction:
            -- PostgreSQL folds equal notifications), so a screen with nothing to do learns of it
            -- without polling: new items, and an item open again (an undo). Leases given back are
            -- announced by releaseLeases. Decisions that close items are not: nobody waits for them.
            CREATE FUNCTION annotty_notify_queue() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('annotty_queue', '');
                RETURN NULL;
            END $$;
            CREATE TRIGGER item_queue_new AFTER INSERT ON item_queue
                FOR EACH STATEMENT EXECUTE FUNCTION annotty_notify_queue();
            CREATE TRIGGER item_queue_reopened AFTER UPDATE OF open ON item_queue
                FOR EACH ROW WHEN (NEW.open = 1 AND OLD.open = 0) EXECUTE FUNCTION annotty_notify_queue();
            """),
    ]

    /// The channel `annotty_notify_queue` announces queue changes on.
    static let queueChannel = "annotty_queue"

    /// Brings the schema up to date; several processes starting at once take turns.
    static func migrate(_ connections: PostgresConnections) throws {
        try connections.transaction { session in
            // One migrator at a time across every machine (an arbitrary, fixed lock key).
            try session.execute("SELECT pg_advisory_xact_lock(7305553)")
            try session.execute("""
                CREATE TABLE IF NOT EXISTS annotty_migrations (name TEXT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)
                """)
            let applied = Set(try session.column("SELECT name FROM annotty_migrations").compactMap(\.string))
            for migration in all where !applied.contains(migration.name) {
                for statement in statements(migration.sql) { try session.execute(statement) }
                try session.execute("INSERT INTO annotty_migrations (name, applied_at) VALUES (?, ?)",
                                    [migration.name, Date().timeIntervalSince1970])
            }
        }
    }

    /// One migration's statements: PostgreSQL prepares one statement at a time. A statement ends
    /// with `;` at the end of a line outside a `$$` body.
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current: [Substring] = []
        var insideBody = false
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("--") && current.isEmpty { continue }
            current.append(line)
            if line.components(separatedBy: "$$").count % 2 == 0 { insideBody.toggle() }
            if !insideBody, line.trimmingCharacters(in: .whitespaces).hasSuffix(";") {
                statements.append(current.joined(separator: "\n"))
                current = []
            }
        }
        let rest = current.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }
}
