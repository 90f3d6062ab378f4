/// A value of annotty's config file, a small subset of TOML.
public enum ConfigValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case double(Double)
    case bool(Bool)
    case array([ConfigValue])

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var doubleValue: Double? {
        switch self {
        case .double(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    public var intValue: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var arrayValue: [ConfigValue]? {
        if case .array(let value) = self { return value }
        return nil
    }
}

/// One `[section]` or `[[array]]` entry of the file, with the line each key was set on.
public struct ConfigTable: Sendable {
    public var values: [String: ConfigValue] = [:]
    public var lines: [String: Int] = [:]
    public var headerLine: Int = 0

    public subscript(key: String) -> ConfigValue? { values[key] }
}
