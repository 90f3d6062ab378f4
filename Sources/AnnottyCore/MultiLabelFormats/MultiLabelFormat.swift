/// The file formats that carry label sets: each writes records to text and reads them back, with
/// bad input reported as `InputError` naming the file and line.
public enum MultiLabelFormat: String, Sendable, CaseIterable {
    /// One JSON object a line: `{"id": …, "text": …, "labels": ["a", "b"]}`.
    case jsonl
    /// `id,text,labels` with the labels in one cell joined by a separator (`|` by default), RFC 4180 quoting.
    case csv
    /// Label Studio tasks whose annotation is one `choices` result with several values, for a
    /// `<Choices choice="multiple">` labelling config (`MultiLabelLabelStudio.labelingConfig`).
    case labelStudio = "labelstudio"
    /// Hugging Face multi-hot: JSONL rows with `labels` as 0/1 per label, the label names in a features file.
    case huggingFace = "hf"
}

/// Why a label set cannot be written in a format.
public struct MultiLabelWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension MultiLabelRecord {
    /// Refuses a record listing a label twice (in its set or its gold set), or a label outside
    /// `labelNames` when given.
    func checked(file: String, line: Int?, labelNames: [String]?) throws -> MultiLabelRecord {
        if let gold {
            _ = try MultiLabelRecord(id: id, text: text, labels: gold).checked(file: file, line: line, labelNames: labelNames)
        }
        var seen: Set<String> = []
        for label in labels {
            guard seen.insert(label).inserted else {
                throw InputError(file: file, line: line, message: "label \"\(label)\" is listed twice")
            }
            if let labelNames, !labelNames.contains(label) {
                throw InputError(file: file, line: line,
                                 message: "label \"\(label)\" is not one of the task's labels (\(labelNames.joined(separator: ", ")))")
            }
        }
        return self
    }
}
