import GRDB

/// Numbered schema migrations. A landed migration is never edited: add the next one.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("001-initial-schema") { db in
            try db.execute(sql: """
                CREATE TABLE items (
                    id INTEGER PRIMARY KEY,
                    external_id TEXT,
                    text TEXT NOT NULL,
                    fields_json TEXT NOT NULL DEFAULT '[]',
                    metadata_json TEXT,
                    content_hash BLOB NOT NULL UNIQUE,
                    gold_label TEXT,
                    is_golden INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL
                );
                CREATE INDEX items_external_id ON items(external_id);

                -- Derived from decisions in the same transaction that appends them; rank is
                -- written by the selector. open = 1 while the item still needs a person.
                CREATE TABLE item_queue (
                    item_id INTEGER PRIMARY KEY REFERENCES items(id),
                    rank REAL NOT NULL,
                    open INTEGER NOT NULL DEFAULT 1,
                    human_labels INTEGER NOT NULL DEFAULT 0,
                    labels_needed INTEGER NOT NULL DEFAULT 1,
                    final_label TEXT,
                    final_kind TEXT
                );
                CREATE INDEX item_queue_open_rank ON item_queue(open, rank, item_id);

                CREATE TABLE predictions (
                    id INTEGER PRIMARY KEY,
                    item_id INTEGER NOT NULL REFERENCES items(id),
                    model TEXT NOT NULL,
                    source TEXT NOT NULL,
                    label TEXT,
                    probabilities_json TEXT NOT NULL DEFAULT '{}',
                    calibrated_confidence REAL,
                    is_valid INTEGER NOT NULL,
                    error TEXT,
                    raw_answer TEXT,
                    prompt_hash TEXT NOT NULL,
                    latency_ms REAL NOT NULL DEFAULT 0,
                    tokens_in INTEGER NOT NULL DEFAULT 0,
                    tokens_out INTEGER NOT NULL DEFAULT 0,
                    cost_usd REAL NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL
                );
                CREATE INDEX predictions_item ON predictions(item_id, id);
                CREATE INDEX predictions_cache ON predictions(model, prompt_hash);

                -- Append-only: undo appends a row naming the decision it cancels.
                CREATE TABLE decisions (
                    id INTEGER PRIMARY KEY,
                    item_id INTEGER NOT NULL REFERENCES items(id),
                    annotator TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    label TEXT,
                    shown_label TEXT,
                    shown_confidence REAL,
                    shown_source TEXT,
                    prediction_id INTEGER,
                    time_spent_ms INTEGER NOT NULL DEFAULT 0,
                    note TEXT,
                    undoes_decision_id INTEGER REFERENCES decisions(id),
                    created_at REAL NOT NULL
                );
                CREATE INDEX decisions_item ON decisions(item_id, annotator);
                CREATE INDEX decisions_annotator ON decisions(annotator, id);
                CREATE UNIQUE INDEX decisions_undo_once ON decisions(undoes_decision_id)
                    WHERE undoes_decision_id IS NOT NULL;

                CREATE TABLE annotators (
                    name TEXT PRIMARY KEY,
                    created_at REAL NOT NULL
                );

                CREATE TABLE leases (
                    item_id INTEGER NOT NULL REFERENCES items(id),
                    annotator TEXT NOT NULL,
                    expires_at REAL NOT NULL,
                    PRIMARY KEY (item_id, annotator)
                );

                -- One fitted calibrator per model, as JSON.
                CREATE TABLE calibrations (
                    model TEXT PRIMARY KEY,
                    calibrator_json TEXT NOT NULL,
                    verified_outcomes INTEGER NOT NULL,
                    measured_accuracy REAL NOT NULL,
                    updated_at REAL NOT NULL
                );

                CREATE TABLE project_meta (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("002-aggregates") { db in
            try db.execute(sql: """
                -- The result of `annotty aggregate`: one row per item and method, replaced on each run.
                CREATE TABLE aggregates (
                    item_id INTEGER NOT NULL REFERENCES items(id),
                    method TEXT NOT NULL,
                    label TEXT,
                    posteriors_json TEXT NOT NULL DEFAULT '{}',
                    created_at REAL NOT NULL,
                    PRIMARY KEY (item_id, method)
                );
                """)
        }
        migrator.registerMigration("003-effective-decisions") { db in
            try db.execute(sql: """
                -- The one definition of an effective decision: not an undo row, and not undone.
                CREATE VIEW effective_decisions AS
                    SELECT d.* FROM decisions d
                    WHERE d.kind != 'undo'
                      AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.undoes_decision_id = d.id);
                """)
        }
        migrator.registerMigration("004-spans") { db in
            try db.execute(sql: """
                -- The entity spans of a `spans` task decision, appended with it in one transaction
                -- and never changed (an undo of the decision undoes its spans). Offsets count
                -- Unicode scalars of the item's text, end exclusive (EntitySpan).
                CREATE TABLE decision_spans (
                    decision_id INTEGER NOT NULL REFERENCES decisions(id),
                    start_offset INTEGER NOT NULL,
                    end_offset INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    text TEXT NOT NULL,
                    PRIMARY KEY (decision_id, start_offset, end_offset, type)
                );
                """)
        }
        migrator.registerMigration("005-calibrated-label") { db in
            // A calibrator over the whole probability vector (vector scaling) may name another
            // label than the model's top one: that label is what is shown and routed.
            try db.execute(sql: "ALTER TABLE predictions ADD COLUMN calibrated_label TEXT")
        }
        migrator.registerMigration("006-learner-opinions") { db in
            // What the pre-label rests on (the LLM, the task learner or both pooled) and the other
            // source's opinion when they disagree, as calibration last wrote them.
            try db.execute(sql: """
                ALTER TABLE predictions ADD COLUMN shown_source TEXT;
                ALTER TABLE predictions ADD COLUMN alternative_json TEXT;
                """)
            // The task learner's latest opinion on each item while it was open: once a person
            // decides the item it is kept as it was, the opinion the combiner learns from.
            try db.execute(sql: """
                CREATE TABLE learner_opinions (
                    item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
                    probabilities_json TEXT NOT NULL,
                    trained_on INTEGER NOT NULL,
                    created_at REAL NOT NULL
                )
                """)
        }
        migrator.registerMigration("007-calibrated-probabilities") { db in
            // A multi-label prediction's per-label calibrated probabilities of being in the set
            // (`Prediction.calibratedProbabilities`), as a JSON object by label name: the shown set
            // and its settledness are derived from them, so the screen can show each label's own.
            try db.execute(sql: "ALTER TABLE predictions ADD COLUMN calibrated_probabilities_json TEXT")
        }
        return migrator
    }
}
