import AnnottyCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// Connections to one PostgreSQL database, used synchronously like the SQLite store: each store
/// method takes an idle connection (or opens one), runs, and gives it back. Waiting on NIO's
/// futures is safe from any thread but an event loop's: they complete on NIO's own threads, so a
/// caller on Swift's cooperative pool never waits for that pool.
final class PostgresConnections: Sendable {
    let location: PostgresLocation
    private let configuration: PostgresConnection.Configuration
    private let idle = Mutex<[PostgresConnection]>([])
    private let opened = Atomic<Int>(0)
    private let logger = Logger(label: "annotty.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    init(location: PostgresLocation) throws {
        self.location = location
        configuration = try location.configuration()
    }

    deinit { closeAll() }

    /// Runs `body` on one connection. A connection that failed is closed rather than reused.
    func withConnection<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let connection = try take()
        do {
            let result = try body(PostgresSession(connection: connection, logger: logger, location: location))
            giveBack(connection)
            return result
        } catch {
            if connection.isClosed || PostgresStoreError.isConnectionLoss(error) {
                connection.closeQuietly()
            } else {
                giveBack(connection)
            }
            // Only the driver's and the network's errors are said in PostgreSQL's terms; the store's
            // own rules (an undo of an undone decision) and a caller's errors (an import reader's
            // bad line) pass unchanged, as SQLiteStore lets them.
            guard PostgresStoreError.isDriverError(error) else { throw error }
            throw PostgresStoreError(error, location: location)
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try withConnection { session in
            try session.execute("BEGIN")
            do {
                let result = try body(session)
                try session.execute("COMMIT")
                return result
            } catch {
                _ = try? session.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// A connection of its own, outside the pool (the listener for notifications).
    func openDedicated() throws -> PostgresConnection {
        do {
            return try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
                                                  id: opened.add(1, ordering: .relaxed).newValue, logger: logger).wait()
        } catch {
            throw PostgresStoreError(error, location: location)
        }
    }

    func closeAll() {
        for connection in idle.withLock({ connections in defer { connections = [] }; return connections }) {
            connection.closeQuietly()
        }
    }

    private func take() throws -> PostgresConnection {
        while let connection = idle.withLock({ $0.popLast() }) {
            if !connection.isClosed { return connection }
        }
        return try openDedicated()
    }

    private func giveBack(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        let surplus: PostgresConnection? = idle.withLock { connections in
            // A handful per process is plenty: one per thread that uses the store at once.
            guard connections.count < 8 else { return connection }
            connections.append(connection)
            return nil
        }
        surplus?.closeQuietly()
    }
}

/// One connection in use: statements with `?` placeholders (numbered for PostgreSQL here, so the
/// SQL reads like the SQLite store's) and values bound from `SQLValue`s.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger
    let location: PostgresLocation

    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws -> Int {
        let result = try connection.query(Self.query(sql, arguments), logger: logger).wait()
        return result.metadata.rows ?? 0
    }

    func rows(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws -> [PostgresValues] {
        try connection.query(Self.query(sql, arguments), logger: logger).wait().rows.map(PostgresValues.init)
    }

    func row(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws -> PostgresValues? {
        try rows(sql, arguments).first
    }

    /// The first column of each row.
    func column(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws -> [SQLValue] {
        try rows(sql, arguments).compactMap { $0.values.first }
    }

    func int64s(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws -> [Int64] {
        try column(sql, arguments).compactMap(\.int64)
    }

    func int(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws -> Int? {
        try column(sql, arguments).first?.int64.map(Int.init)
    }

    /// `?` placeholders become `$1`, `$2`, ...; annotty's SQL has no `?` inside its literals.
    static func query(_ sql: String, _ arguments: [any SQLValueConvertible]) -> PostgresQuery {
        var numbered = ""
        numbered.reserveCapacity(sql.utf8.count + 8)
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                numbered += "$\(index)"
            } else {
                numbered.append(character)
            }
        }
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument.sqlValue {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .real(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .blob(let value): bindings.append(ByteBuffer(bytes: value))
            }
        }
        return PostgresQuery(unsafeSQL: numbered, binds: bindings)
    }
}

/// A result row as plain values by column name.
struct PostgresValues: StoreRow {
    let names: [String]
    let values: [SQLValue]

    init(_ row: PostgresRow) {
        var names: [String] = []
        var values: [SQLValue] = []
        for cell in row {
            names.append(cell.columnName)
            values.append(Self.value(of: cell))
        }
        self.names = names
        self.values = values
    }

    static func value(of cell: PostgresCell) -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return (try? cell.decode(Int64.self)).map(SQLValue.integer) ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map { .integer($0 ? 1 : 0) } ?? .null
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map(SQLValue.real) ?? .null
        case .numeric:
            // A SUM of integers; read through its text, which every numeric has.
            return (try? cell.decode(String.self)).flatMap(Double.init).map(SQLValue.real) ?? .null
        case .bytea:
            return (try? cell.decode(ByteBuffer.self)).map { .blob(Data($0.readableBytesView)) } ?? .null
        default:
            return (try? cell.decode(String.self)).map(SQLValue.text) ?? .null
        }
    }

    subscript(name: String) -> SQLValue {
        guard let index = names.firstIndex(of: name) else { return .null }
        return values[index]
    }

    func int64(_ name: String) -> Int64 { self[name].int64 ?? 0 }
    func optionalInt64(_ name: String) -> Int64? { self[name].int64 }
    func optionalInt(_ name: String) -> Int? { self[name].int64.map(Int.init) }
    func double(_ name: String) -> Double { self[name].double ?? 0 }
    func optionalDouble(_ name: String) -> Double? { self[name].double }
    func string(_ name: String) -> String { self[name].string ?? "" }
    func optionalString(_ name: String) -> String? { self[name].string }
    func bool(_ name: String) -> Bool { (self[name].int64 ?? 0) != 0 }
    func data(_ name: String) -> Data { if case .blob(let data) = self[name] { return data } else { return Data() } }
}

extension SQLValue {
    var int64: Int64? {
        switch self {
        case .integer(let value): return value
        case .real(let value): return Int64(exactly: value.rounded()) 
        default: return nil
        }
    }

    var double: Double? {
        switch self {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    var string: String? {
        if case .text(let value) = self { return value }
        return nil
    }
}

extension PostgresConnection {
    /// Closes without waiting: the connection is done with, whatever the server says. The
    /// connection is kept until it has closed (PostgresNIO expects no connection to go away open).
    func closeQuietly() {
        let closing: EventLoopFuture<Void> = close()
        closing.whenComplete { _ in withExtendedLifetime(self) {} }
    }
}
