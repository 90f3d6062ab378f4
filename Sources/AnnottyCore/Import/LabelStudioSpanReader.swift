import Foundation

/// Reads Label Studio span tasks (an array of tasks; `labels` results with `start`, `end`,
/// `text` in their `value`) into span items. Offsets are UTF-16 (Label Studio's) and are
/// converted to scalar offsets; a result's `text`, where given, must equal the task text at its
/// offsets, so a file exported against another text fails loudly instead of shifting spans.
///
/// Spans come from the task's first annotation that was not cancelled, or, failing that, its
/// first prediction; `textField` names the `data` key holding the text.
public struct LabelStudioSpanReader: Sendable {
    public var textField: String

    public init(textField: String = "text") { self.textField = textField }

    public func read(path: String) throws -> [SpanItem] {
        try records(path: path).map(\.item)
    }

    /// Every task with its line; a task answers when it has an annotation that was not cancelled
    /// (a prediction alone is a model's proposal, not an answer). With `everyAnnotation`, a task
    /// gives one record per annotation not cancelled, named from its `completed_by` (the email where
    /// the export has one, else `labelstudio-user-ID`), so a team's project arrives as each
    /// person's set; a task without one gives one record without an answer.
    public func records(path: String, everyAnnotation: Bool = false) throws -> [SpanFileRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot read the file")
        }
        var bytes = Array(data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var items: [SpanFileRecord] = []
        for (index, task) in try TopLevelArraySplitter.split(bytes, file: path).enumerated() {
            let parsed: JSONValue
            do {
                parsed = try task.bytes.withUnsafeBufferPointer { try JSONParser.parse($0) }
            } catch let failure as JSONParser.Failure {
                throw InputError(file: path, line: task.line, message: "task is not valid JSON (\(failure.message))")
            }
            let annotations = parsed["annotations"]?.arrayValue?.filter { $0["was_cancelled"] != .bool(true) } ?? []
            if everyAnnotation && !annotations.isEmpty {
                for annotation in annotations {
                    items.append(SpanFileRecord(
                        item: try item(from: parsed, annotation: annotation, ordinal: index + 1, file: path, line: task.line),
                        line: task.line, hasAnswer: true, annotator: LabelStudioSpanReader.annotator(annotation["completed_by"])))
                }
                continue
            }
            let answered = !annotations.isEmpty
            items.append(SpanFileRecord(item: try item(from: parsed, ordinal: index + 1, file: path, line: task.line),
                                        line: task.line, hasAnswer: answered))
        }
        return items
    }

    func item(from task: JSONValue, ordinal: Int, file: String, line: Int) throws -> SpanItem {
        let annotation = task["annotations"]?.arrayValue?.first { $0["was_cancelled"] != .bool(true) }
            ?? task["predictions"]?.arrayValue?.first
        return try item(from: task, annotation: annotation, ordinal: ordinal, file: file, line: line)
    }

    /// `completed_by` as a name: a string, an object's email (else its id), or a number as `labelstudio-user-N`.
    static func annotator(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let name)?: return name.isEmpty ? nil : name
        case .number(let id)?: return "labelstudio-user-" + id
        case .object?:
            if let email = value?["email"]?.stringValue, !email.isEmpty { return email }
            return annotator(value?["id"])
        default: return nil
        }
    }

    func item(from task: JSONValue, annotation: JSONValue?, ordinal: Int, file: String, line: Int) throws -> SpanItem {
        func fail(_ message: String) -> InputError { InputError(file: file, line: line, message: message) }
        guard let text = task["data"]?[textField]?.stringValue else {
            throw fail("task has no \"data\".\"\(textField)\" string")
        }
        let id = task["data"]?["id"]?.plainText ?? task["id"]?.plainText ?? String(ordinal)
        let scalars = ScalarText(text)
        var spans: [EntitySpan] = []
        for result in annotation?["result"]?.arrayValue ?? [] {
            guard result["type"]?.stringValue == "labels", let value = result["value"] else { continue }
            guard let start = value["start"]?.doubleValue.flatMap(Int.init(exactly:)),
                  let end = value["end"]?.doubleValue.flatMap(Int.init(exactly:)) else {
                throw fail("a labels result has no whole-number \"start\" and \"end\"")
            }
            guard let type = value["labels"]?.arrayValue?.first?.stringValue else {
                throw fail("the labels result at \(start)..<\(end) has no label")
            }
            guard let scalarStart = scalars.scalarOffset(ofUTF16: start),
                  let scalarEnd = scalars.scalarOffset(ofUTF16: end), scalarStart < scalarEnd,
                  let covered = scalars.slice(scalarStart, scalarEnd) else {
                throw fail("span \(start)..<\(end) is not a range of the task's text (\(scalars.count) characters)")
            }
            if let stated = value["text"]?.stringValue, stated != covered {
                throw fail("span \(start)..<\(end) says \"\(stated)\" but the text there is \"\(covered)\"")
            }
            spans.append(EntitySpan(start: scalarStart, end: scalarEnd, type: type, text: covered))
        }
        return SpanItem(id: id, text: text, spans: spans)
    }
}
