import Foundation
import GRDB

/// GRDB's rows read as `StoreRow`s, so the SQLite store maps them with `StoreRecords`.
extension Row: StoreRow {
    public func int64(_ name: String) -> Int64 { self[name] ?? 0 }
    public func optionalInt64(_ name: String) -> Int64? { self[name] }
    public func optionalInt(_ name: String) -> Int? { self[name] }
    public func double(_ name: String) -> Double { self[name] ?? 0 }
    public func optionalDouble(_ name: String) -> Double? { self[name] }
    public func string(_ name: String) -> String { self[name] ?? "" }
    public func optionalString(_ name: String) -> String? { self[name] }
    public func bool(_ name: String) -> Bool { self[name] ?? false }
    public func data(_ name: String) -> Data { self[name] ?? Data() }
}

extension SQLValue {
    /// The value as GRDB binds it.
    public var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .integer(let value): return value.databaseValue
        case .real(let value): return value.databaseValue
        case .text(let value): return value.databaseValue
        case .blob(let value): return value.databaseValue
        }
    }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let value): self = .integer(value)
        case .double(let value): self = .real(value)
        case .string(let value): self = .text(value)
        case .blob(let value): self = .blob(value)
        }
    }
}
