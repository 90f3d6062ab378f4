import Foundation

/// Label sets as JSON Lines: `{"id": "7", "text": "…", "labels": ["joy", "surprise"]}`.
public enum MultiLabelJSONL {
    public static func write(_ records: [MultiLabelRecord]) -> String {
        var out = ""
        for record in records {
            out += "{\"id\":" + JSONText.quote(record.id) + ",\"text\":" + JSONText.quote(record.text) + ",\"labels\":["
            out += record.labels.map(JSONText.quote).joined(separator: ",") + "]}\n"
        }
        return out
    }

    /// Calls `body` with each non-empty line's number, its JSON object and its text (under
    /// `textField`); a line that is not JSON or has no string text is an error naming file:line.
    /// Shared by the JSONL and Hugging Face readers.
    static func forEachObject(in contents: String, file: String, textField: String = "text",
                              _ body: (Int, JSONValue, String) throws -> Void) throws {
        for (offset, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let value: JSONValue
            do { value = try JSONParser.parse(trimmed) } catch let failure as JSONParser.Failure {
                throw InputError(file: file, line: number, message: "not JSON: \(failure)")
            }
            guard let text = value[textField]?.stringValue else {
                throw InputError(file: file, line: number, message: "no string \"\(textField)\"")
            }
            try body(number, value, text)
        }
    }

    /// Reads one record a non-empty line. `id` may be a string or a number (the line number when
    /// absent); `labels` must be an array of strings (absent: no labels; `null`: not answered, as
    /// an export writes an item without a final set); `annotator`, when there, a string; `gold`,
    /// when there, the item's true set.
    public static func read(_ contents: String, file: String, labelNames: [String]? = nil,
                            textField: String = "text") throws -> [MultiLabelRecord] {
        var records: [MultiLabelRecord] = []
        try forEachObject(in: contents, file: file, textField: textField) { number, value, text in
            let id: String
            switch value["id"] {
            case .string(let given)?: id = given
            case .number(let given)?: id = given
            case nil: id = String(number)
            default: throw InputError(file: file, line: number, message: "\"id\" must be a string or a number")
            }
            var annotator: String?
            switch value["annotator"] {
            case nil, .null?: break
            case .string(let name)?: annotator = name
            default: throw InputError(file: file, line: number, message: "\"annotator\" must be a string")
            }
            func names(_ key: String) throws -> [String]? {
                guard let field = value[key], field != .null else { return nil }
                guard let array = field.arrayValue else {
                    throw InputError(file: file, line: number, message: "\"\(key)\" must be a list of label names")
                }
                return try array.map { element in
                    guard let name = element.stringValue else {
                        throw InputError(file: file, line: number, message: "\"\(key)\" must hold strings, found \(element)")
                    }
                    return name
                }
            }
            let gold = try names("gold")
            let isAnswered = value["labels"] != .null
            records.append(try MultiLabelRecord(id: id, text: text, labels: try names("labels") ?? [], isAnswered: isAnswered,
                                                annotator: annotator, gold: gold, line: number)
                .checked(file: file, line: number, labelNames: labelNames))
        }
        return records
    }
}
