/// Every table of a project's store as rows of plain values, read and written whole: how
/// `annotty store copy` moves a project between SQLite and PostgreSQL without loss (ids kept,
/// so decisions still name their items, predictions and the decisions they undo).
public protocol StoreTransfer: AnnotationStore {
    /// The table's columns, in the store's order.
    func columns(ofTable table: String) throws -> [String]
    /// Every row of `table`, oldest first, as values in the order of `columns`.
    func forEachRow(ofTable table: String, columns: [String], _ body: ([SQLValue]) throws -> Void) throws
    /// Whether the store holds no items, decisions or predictions (a copy never merges into work).
    func isEmptyProject() throws -> Bool
    /// Writes rows into the empty store in one transaction per call of `body`'s batches, then
    /// moves the id counters past the copied ids.
    func insertRows(table: String, columns: [String], rows: [[SQLValue]]) throws
    func finishCopy() throws
    /// A value of the project kept in the database itself (`project_meta`), such as the project's
    /// annotty.toml, so a database copied from a URL can become a project folder again.
    func projectMeta(_ key: String) throws -> String?
    func setProjectMeta(_ key: String, _ value: String) throws
}

/// Keys of `project_meta`.
public enum ProjectMetaKey {
    /// The project's annotty.toml as written by `init --store` or a copy from a project folder.
    public static let config = "annotty.toml"
}

/// The tables a copy moves, parents before children.
public enum StoreTables {
    public static let copied = ["items", "item_queue", "annotators", "predictions", "decisions", "decision_spans",
                                "leases", "calibrations", "aggregates", "learner_opinions", "project_meta"]
}
