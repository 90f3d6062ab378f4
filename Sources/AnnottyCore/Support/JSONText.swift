import Foundation

/// Small, fast JSON writers and readers for the store's JSON columns.
public enum JSONText {
    /// Writes a string as a JSON string literal, escaping what JSON requires.
    public static func quote(_ text: String, into out: inout String) {
        out.append("\"")
        var start = text.unicodeScalars.startIndex
        let scalars = text.unicodeScalars
        var index = start
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let escape: String?
            switch scalar {
            case "\"": escape = "\\\""
            case "\\": escape = "\\\\"
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            default:
                escape = scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029
                    ? String(format: "\\u%04x", scalar.value) : nil
            }
            if let escape {
                out.unicodeScalars.append(contentsOf: scalars[start..<index])
                out.append(escape)
                start = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        out.unicodeScalars.append(contentsOf: scalars[start..<scalars.endIndex])
        out.append("\"")
    }

    public static func quote(_ text: String) -> String {
        var out = ""
        quote(text, into: &out)
        return out
    }

    /// Fields as a JSON array of [name, value] pairs, which keeps their order.
    public static func encode(_ fields: [ItemField]) -> String {
        var out = "["
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(",") }
            out.append("[")
            quote(field.name, into: &out)
            out.append(",")
            quote(field.value, into: &out)
            out.append("]")
        }
        out.append("]")
        return out
    }

    public static func decodeFields(_ json: String) -> [ItemField] {
        guard json != "[]", let data = json.data(using: .utf8),
              let pairs = try? JSONSerialization.jsonObject(with: data) as? [[String]] else { return [] }
        return pairs.compactMap { $0.count == 2 ? ItemField(name: $0[0], value: $0[1]) : nil }
    }

    /// Probabilities as a JSON object with keys in sorted order (stable output).
    public static func encode(_ probabilities: [String: Double]) -> String {
        var out = "{"
        for (index, key) in probabilities.keys.sorted().enumerated() {
            if index > 0 { out.append(",") }
            quote(key, into: &out)
            out.append(":")
            out.append(number(probabilities[key]!))
        }
        out.append("}")
        return out
    }

    public static func decodeProbabilities(_ json: String) -> [String: Double] {
        guard let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var result: [String: Double] = [:]
        for (key, value) in object {
            if let number = value as? NSNumber { result[key] = number.doubleValue }
        }
        return result
    }

    /// A JSON number; non-finite values become null, which JSON has no number for.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
