import AnnottyCore
import Foundation

/// What the LLM client needs of AnnottyCore's JSON value beyond imports: numbers from Swift
/// numbers, array indexing, integer reads, and parsing a response body.
extension JSONValue {
    public static func double(_ value: Double) -> JSONValue {
        guard value.isFinite else { return .null }
        if value == value.rounded(), abs(value) < 1e15 { return .number(String(Int64(value))) }
        return .number("\(value)")
    }

    public static func int(_ value: Int) -> JSONValue {
        .number(String(value))
    }

    public subscript(index: Int) -> JSONValue? {
        guard case .array(let values) = self, values.indices.contains(index) else { return nil }
        return values[index]
    }

    /// A number, or a numeric string (some servers quote numbers).
    public var numberValue: Double? {
        if let number = doubleValue { return number }
        if case .string(let text) = self { return Double(text.trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    public var intValue: Int? {
        guard let number = numberValue, number.isFinite, number == number.rounded(), abs(number) < 9.0e15 else { return nil }
        return Int(number)
    }

    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    public var data: Data { Data(serialized.utf8) }

    /// Parses a whole response body.
    public static func parse(_ data: Data) throws -> JSONValue {
        try data.withUnsafeBytes { raw in
            try JSONParser.parse(raw.bindMemory(to: UInt8.self))
        }
    }
}
