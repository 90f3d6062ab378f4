import Foundation

/// Small, fast JSON writers and readers for the store's JSON columns.
public enum JSONText {
    /// Writes a string as a JSON string literal, escaping what JSON requires (and U+2028/9,
    /// which break JavaScript readers). Strings needing no escape are copied whole.
    public static func quote(_ text: String, into out: inout String) {
        out.append("\"")
        var needsEscape = false
        for byte in text.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2 {
            needsEscape = true
            break
        }
        guard needsEscape else {
            out.append(text)
            out.append("\"")
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out.append(String(format: "\\u%04x", scalar.value))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
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

    /// Read with annotty's own parser, like every JSON on the claim and export paths: one JSON
    /// stack, which keeps order and costs no bridging.
    public static func decodeFields(_ json: String) -> [ItemField] {
        guard json != "[]", let pairs = (try? JSONParser.parse(json))?.arrayValue else { return [] }
        return pairs.compactMap { pair in
            guard let parts = pair.arrayValue, parts.count == 2, let name = parts[0].stringValue,
                  let value = parts[1].stringValue else { return nil }
            return ItemField(name: name, value: value)
        }
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
        guard json != "{}", case .object(let members)? = try? JSONParser.parse(json) else { return [:] }
        var result: [String: Double] = [:]
        for (key, value) in members {
            if let number = value.doubleValue { result[key] = number }
        }
        return result
    }

    /// A JSON array of numbers (a probability vector).
    public static func encodeNumbers(_ values: [Double]) -> String {
        "[" + values.map(number).joined(separator: ",") + "]"
    }

    /// The numbers of a JSON array; empty when the text is not one.
    public static func decodeNumbers(_ json: String) -> [Double] {
        guard let value = try? JSONParser.parse(json), case .array(let elements) = value else { return [] }
        return elements.map { $0.doubleValue ?? 0 }
    }

    /// A JSON number; non-finite values become null, which JSON has no number for.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
