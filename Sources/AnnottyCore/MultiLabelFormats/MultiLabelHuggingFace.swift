import Foundation

/// Label sets as Hugging Face multi-hot rows: JSONL with `labels` a 0/1 list in label order, which
/// `datasets` loads as is, and a features file that names the labels:
///
///     {"features": {"id": {"dtype": "string", "_type": "Value"}, …,
///                   "labels": {"feature": {"dtype": "int8", "_type": "Value"}, "length": 7, "_type": "Sequence"}},
///      "label_names": ["anger", …]}
///
/// `datasets.Features.from_dict(file["features"])` gives the dataset's features; `label_names`
/// says what each position of `labels` means.
public enum MultiLabelHuggingFace {
    /// - Parameters:
    ///   - textField: the key the text is under.
    ///   - stringFields: further string columns of the rows (display fields, `label_from`), in order.
    public static func writeFeatures(labelNames: [String], textField: String = "text", stringFields: [String] = []) -> String {
        let string = "{\"dtype\":\"string\",\"_type\":\"Value\"}"
        var out = "{\"features\":{\"id\":" + string + "," + JSONText.quote(textField) + ":" + string + ","
        for field in stringFields where field != "labels" { out += JSONText.quote(field) + ":" + string + "," }
        out += "\"labels\":{\"feature\":{\"dtype\":\"int8\",\"_type\":\"Value\"},\"length\":\(labelNames.count),\"_type\":\"Sequence\"}},"
        return out + "\"label_names\":[" + labelNames.map(JSONText.quote).joined(separator: ",") + "]}\n"
    }

    /// - Throws: `MultiLabelWriteError` for a label outside `labelNames`.
    public static func writeRows(_ records: [MultiLabelRecord], labelNames: [String]) throws -> String {
        var out = ""
        for record in records {
            let set = record.labelSet
            if let unknown = set.first(where: { !labelNames.contains($0) }) {
                throw MultiLabelWriteError(message: "item \(record.id): label \"\(unknown)\" is not in the features' label names")
            }
            out += "{\"id\":" + JSONText.quote(record.id) + ",\"text\":" + JSONText.quote(record.text) + ",\"labels\":["
            out += labelNames.map { set.contains($0) ? "1" : "0" }.joined(separator: ",") + "]}\n"
        }
        return out
    }

    /// The label names from a features file.
    public static func readLabelNames(_ contents: String, file: String) throws -> [String] {
        let value: JSONValue
        do { value = try JSONParser.parse(contents) } catch let failure as JSONParser.Failure {
            throw InputError(file: file, line: MultiLabelLabelStudio.lineNumber(ofByte: failure.column - 1, in: contents),
                             message: "not JSON: \(failure.message)")
        }
        guard let names = value["label_names"]?.arrayValue?.compactMap(\.stringValue),
              names.count == value["label_names"]?.arrayValue?.count, !names.isEmpty else {
            throw InputError(file: file, line: 1, message: "no \"label_names\" list of strings")
        }
        return names
    }

    public static func readRows(_ contents: String, file: String, labelNames: [String],
                                textField: String = "text") throws -> [MultiLabelRecord] {
        var records: [MultiLabelRecord] = []
        try MultiLabelJSONL.forEachObject(in: contents, file: file, textField: textField) { number, value, text in
            guard let hot = value["labels"]?.arrayValue, hot.count == labelNames.count else {
                throw InputError(file: file, line: number,
                                 message: "\"labels\" must be a list of \(labelNames.count) zeros and ones (one per label name)")
            }
            var labels: [String] = []
            for (index, flag) in hot.enumerated() {
                switch flag {
                case .number(let digits) where Double(digits) == 1: labels.append(labelNames[index])
                case .number(let digits) where Double(digits) == 0: break
                case .bool(let isIn): if isIn { labels.append(labelNames[index]) }
                default: throw InputError(file: file, line: number, message: "\"labels\"[\(index)] is neither 0 nor 1")
                }
            }
            let id: String
            switch value["id"] {
            case .string(let given)?: id = given
            case .number(let given)?: id = given
            default: id = String(number)
            }
            records.append(MultiLabelRecord(id: id, text: text, labels: labels, line: number))
        }
        return records
    }
}
