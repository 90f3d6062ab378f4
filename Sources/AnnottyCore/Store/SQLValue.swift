import Foundation

/// One column value as both stores hold it: the common ground of SQLite's storage classes and
/// the PostgreSQL types annotty's schema uses (BIGINT, DOUBLE PRECISION, TEXT, BYTEA), so a
/// project can move between them unchanged (`annotty store copy`).
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// A Swift value that binds as one `SQLValue`.
public protocol SQLValueConvertible {
    var sqlValue: SQLValue { get }
}

extension Int64: SQLValueConvertible { public var sqlValue: SQLValue { .integer(self) } }
extension Int: SQLValueConvertible { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Double: SQLValueConvertible { public var sqlValue: SQLValue { .real(self) } }
extension String: SQLValueConvertible { public var sqlValue: SQLValue { .text(self) } }
extension Data: SQLValueConvertible { public var sqlValue: SQLValue { .blob(self) } }
/// Flags are stored as 0 and 1 in both stores, as SQLite has them.
extension Bool: SQLValueConvertible { public var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension SQLValue: SQLValueConvertible { public var sqlValue: SQLValue { self } }
extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}
