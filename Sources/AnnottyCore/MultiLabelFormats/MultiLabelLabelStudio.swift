import Foundation

/// Label sets as Label Studio tasks: each task's annotation has one `choices` result listing every
/// label given, which Label Studio shows with a `<Choices choice="multiple">` control.
public enum MultiLabelLabelStudio {
    /// The control and object names the tasks refer to (`from_name`, `to_name`).
    public static let controlName = "labels"
    public static let textName = "text"

    /// The labelling config to create the Label Studio project with.
    /// `textField` is the task's data key the text is under; each of `displayFields` is shown above
    /// the choices with its own `Text`.
    public static func labelingConfig(labelNames: [String], textField: String = "text", displayFields: [String] = []) -> String {
        var out = "<View>\n  <Text name=\"\(textName)\" value=\"$\(xmlEscaped(textField))\"/>\n"
        for field in displayFields {
            out += "  <Header value=\"\(xmlEscaped(field))\"/>\n"
            out += "  <Text name=\"field_\(xmlEscaped(field))\" value=\"$\(xmlEscaped(field))\"/>\n"
        }
        out += "  <Choices name=\"\(controlName)\" toName=\"\(textName)\" choice=\"multiple\" showInline=\"true\">\n"
        for name in labelNames { out += "    <Choice value=\"\(xmlEscaped(name))\"/>\n" }
        return out + "  </Choices>\n</View>\n"
    }

    /// A JSON array, one task a line; the item's own id is kept in `data.id`.
    public static func write(_ records: [MultiLabelRecord]) -> String {
        var out = "[\n"
        for (index, record) in records.enumerated() {
            out += "{\"id\":\(index + 1),\"data\":{\"id\":" + JSONText.quote(record.id) + ",\"text\":" + JSONText.quote(record.text)
            out += "},\"annotations\":[{\"result\":[{\"from_name\":\"\(controlName)\",\"to_name\":\"\(textName)\","
            out += "\"type\":\"choices\",\"value\":{\"choices\":[" + record.labels.map(JSONText.quote).joined(separator: ",")
            out += "]}}]}]}" + (index + 1 < records.count ? ",\n" : "\n")
        }
        return out + "]\n"
    }

    /// Reads a Label Studio JSON export. Per task: the text from `data.text` (or `data.<textField>`),
    /// the id from `data.id` (else the task's `id`), the labels from the last annotation not
    /// cancelled, all its `choices` results together (an annotation with no result is the empty
    /// set); a task without such an annotation reads as not answered (`isAnswered` false).
    public static func read(_ contents: String, file: String, labelNames: [String]? = nil,
                            textField: String = "text") throws -> [MultiLabelRecord] {
        try records(contents, file: file, labelNames: labelNames, textField: textField, everyAnnotation: false)
    }

    /// As `read`, but one record per annotation not cancelled, each naming its annotator from
    /// `completed_by` (an email where the export has one, else `labelstudio-user-ID`), so a team's
    /// Label Studio project imports as several people's sets. A task without annotations gives
    /// one record that is not answered.
    public static func readEveryAnnotation(_ contents: String, file: String, labelNames: [String]? = nil,
                                           textField: String = "text") throws -> [MultiLabelRecord] {
        try records(contents, file: file, labelNames: labelNames, textField: textField, everyAnnotation: true)
    }

    private static func annotator(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let name)?: return name.isEmpty ? nil : name
        case .number(let id)?: return "labelstudio-user-\(id)"
        case .object?:
            if let email = value?["email"]?.stringValue, !email.isEmpty { return email }
            return annotator(value?["id"])
        default: return nil
        }
    }

    private static func records(_ contents: String, file: String, labelNames: [String]?, textField: String,
                                everyAnnotation: Bool) throws -> [MultiLabelRecord] {
        let root: JSONValue
        do { root = try JSONParser.parse(contents) } catch let failure as JSONParser.Failure {
            throw InputError(file: file, line: lineNumber(ofByte: failure.column - 1, in: contents), message: "not JSON: \(failure.message)")
        }
        guard let tasks = root.arrayValue else { throw InputError(file: file, line: 1, message: "expected a JSON array of tasks") }
        let taskLines = taskStartLines(contents)
        var records: [MultiLabelRecord] = []
        for (index, task) in tasks.enumerated() {
            let line = index < taskLines.count ? taskLines[index] : nil
            guard let text = task["data"]?[textField]?.stringValue else {
                throw InputError(file: file, line: line, message: "task \(index + 1) has no string data.\(textField)")
            }
            let id: String
            switch task["data"]?["id"] ?? task["id"] {
            case .string(let given)?: id = given
            case .number(let given)?: id = given
            default: id = String(index + 1)
            }
            let annotations = (task["annotations"]?.arrayValue ?? []).filter { $0["was_cancelled"] != .bool(true) }
            func labels(of annotation: JSONValue?) throws -> [String] {
                var labels: [String] = []
                for result in annotation?["result"]?.arrayValue ?? [] where result["type"]?.stringValue == "choices" {
                    guard let choices = result["value"]?["choices"]?.arrayValue else {
                        throw InputError(file: file, line: line, message: "task \(index + 1): a choices result without value.choices")
                    }
                    for choice in choices {
                        guard let name = choice.stringValue else {
                            throw InputError(file: file, line: line, message: "task \(index + 1): a choice that is not a string")
                        }
                        labels.append(name)
                    }
                }
                return labels
            }
            if everyAnnotation && !annotations.isEmpty {
                for annotation in annotations {
                    records.append(try MultiLabelRecord(id: id, text: text, labels: labels(of: annotation),
                                                        annotator: annotator(annotation["completed_by"]), line: line)
                        .checked(file: file, line: line, labelNames: labelNames))
                }
                continue
            }
            records.append(try MultiLabelRecord(id: id, text: text, labels: labels(of: annotations.last), isAnswered: !annotations.isEmpty,
                                                line: line)
                .checked(file: file, line: line, labelNames: labelNames))
        }
        return records
    }

    static func lineNumber(ofByte offset: Int, in contents: String) -> Int {
        1 + contents.utf8.prefix(max(offset, 0)).filter { $0 == UInt8(ascii: "\n") }.count
    }

    /// The line on which each top-level task object opens (depth 1 in the array), for error messages.
    static func taskStartLines(_ contents: String) -> [Int] {
        var lines: [Int] = []
        var depth = 0, line = 1, inString = false, escaped = false
        for byte in contents.utf8 {
            if byte == UInt8(ascii: "\n") { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 1, byte == UInt8(ascii: "{") { lines.append(line) }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return lines
    }

    static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
