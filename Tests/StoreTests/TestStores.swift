import AnnottyCore
import AnnottyPostgres
import AnnottyTestSupport
import Foundation
import Testing

/// The stores the store suite runs against: every test that takes a `StoreKind` runs once on
/// SQLite and once on PostgreSQL (the throwaway cluster scripts/test.sh starts).
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// Both kinds where the cluster runs; SQLite alone otherwise (`postgresRunsUnderCI` fails
    /// a CI run without it, so the PostgreSQL half is never skipped silently there).
    static var available: [StoreKind] { TestPostgres.available ? allCases : [.sqlite] }
}

/// One test's database: a new SQLite file or a new PostgreSQL database, opened as often as the
/// test needs (a second store on the same database stands for another process).
final class TestDatabase: Sendable {
    let kind: StoreKind
    let directory: TemporaryDirectory
    /// The SQLite file's path or the PostgreSQL URL.
    let place: String

    init(_ kind: StoreKind) throws {
        self.kind = kind
        directory = try TemporaryDirectory()
        switch kind {
        case .sqlite: place = directory.path("annotty.sqlite")
        case .postgres: place = try TestPostgres.freshDatabaseURL()
        }
    }

    func open(policy: OverlapPolicy = OverlapPolicy(), goldenSeed: UInt64? = nil) throws -> any StoreTransfer {
        switch kind {
        case .sqlite:
            return try SQLiteStore(path: place, overlapPolicy: policy, goldenSeed: goldenSeed)
        case .postgres:
            return try PostgresStore(location: PostgresLocation(url: place, passwordEnv: "PGPASSWORD"), overlapPolicy: policy,
                                     goldenSeed: goldenSeed)
        }
    }

    /// A store with `texts` imported as items 1, 2, ...
    func open(items texts: [String], policy: OverlapPolicy = OverlapPolicy(), goldenSeed: UInt64? = nil) throws -> any StoreTransfer {
        let store = try open(policy: policy, goldenSeed: goldenSeed)
        _ = try store.importItems { sink in
            for text in texts { try sink.add(ImportRecord(text: text)) }
        }
        return store
    }
}

@Suite struct StoreSuiteSetupTests {
    @Test func postgresRunsUnderCI() {
        // scripts/test.sh starts the cluster; a CI run without it would test one store only.
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(TestPostgres.available, "\(TestPostgres.missingMessage)")
        }
    }

    @Test(arguments: StoreKind.available)
    func aStoreTakesItemsAndADecision(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: ["one", "two", "three"])
        let claimed = try store.claimNextItems(annotator: "ann", limit: 2, excluding: [], leaseSeconds: 60)
        #expect(claimed.map(\.item.text) == ["one", "two"])
        let saved = try store.recordDecision(Decision(itemId: claimed[0].item.id, annotator: "ann", kind: .correct, label: "pos"))
        let other = try database.open()
        #expect(try other.decisions(itemId: claimed[0].item.id).map(\.id) == [saved.id])
        #expect(try other.openItemIds(limit: 10) == [2, 3])
        #expect(try other.statusCounts().labelledByPeople == 1)
    }
}

extension StoreTransfer {
    /// Every table a store copy moves, row by row in the order the rows were made: a whole-store
    /// picture read through the protocol, so "nothing was written" can be checked on either kind.
    func contents() throws -> [String: [[SQLValue]]] {
        var tables: [String: [[SQLValue]]] = [:]
        for table in StoreTables.copied {
            var rows: [[SQLValue]] = []
            try forEachRow(ofTable: table, columns: try columns(ofTable: table)) { rows.append($0) }
            tables[table] = rows
        }
        return tables
    }
}
