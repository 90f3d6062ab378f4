/// Moves a whole project from one store to another (`annotty store copy`), table by table with
/// ids kept, into a store that holds no work yet; then checks that both count the same.
public struct StoreCopy {
    public struct Summary: Sendable, Equatable {
        public struct TableRows: Sendable, Equatable {
            public var table: String
            public var count: Int
        }

        /// Rows copied per table, in copy order.
        public var rows: [TableRows] = []
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case destinationNotEmpty(String)
        case countsDiffer(String)
        /// A new project folder asked for, from a database that does not keep its annotty.toml.
        case noProjectSettings(String)

        public var description: String {
            switch self {
            case .destinationNotEmpty(let place):
                return "\(place) already holds items or decisions: copy into a new, empty store (nothing was written)"
            case .noProjectSettings(let source):
                return "\(source) does not keep its project's annotty.toml, which a new project folder needs: copy from the "
                    + "project folder whose [store] url names it (annotty store copy --from FOLDER --to NEW_FOLDER)"
            case .countsDiffer(let detail):
                return "the copy does not count the same as the original (\(detail)); the original is unchanged"
            }
        }
    }

    public let source: any StoreTransfer
    public let destination: any StoreTransfer
    /// Rows written per transaction.
    public var batchSize = 5000

    public init(from source: any StoreTransfer, to destination: any StoreTransfer) {
        self.source = source
        self.destination = destination
    }

    /// Copies every table; `progress` hears each table's name and rows so far.
    public func run(destinationName: String, progress: (String, Int) -> Void = { _, _ in }) throws -> Summary {
        guard try destination.isEmptyProject() else { throw Failure.destinationNotEmpty(destinationName) }
        var summary = Summary()
        for table in StoreTables.copied {
            let sourceColumns = Set(try source.columns(ofTable: table))
            // Columns both stores have (PostgreSQL's lease order stands in for SQLite's rowid).
            let columns = try destination.columns(ofTable: table).filter(sourceColumns.contains)
            guard !columns.isEmpty else { continue }
            var batch: [[SQLValue]] = []
            var count = 0
            try source.forEachRow(ofTable: table, columns: columns) { row in
                batch.append(row)
                if batch.count >= batchSize {
                    try destination.insertRows(table: table, columns: columns, rows: batch)
                    count += batch.count
                    batch = []
                    progress(table, count)
                }
            }
            try destination.insertRows(table: table, columns: columns, rows: batch)
            count += batch.count
            progress(table, count)
            summary.rows.append(Summary.TableRows(table: table, count: count))
        }
        try destination.finishCopy()
        let before = try source.statusCounts()
        let after = try destination.statusCounts()
        guard before == after else {
            throw Failure.countsDiffer("items \(before.items) and \(after.items), decisions \(before.decisions) and \(after.decisions)")
        }
        return summary
    }
}
