import Foundation

/// Reads spaCy/Prodigy JSONL with `text` and `spans` (`start`, `end`, `label`; scalar offsets,
/// as Python counts). `tokens`, where present, are kept, so a file tokenized elsewhere keeps its
/// tokens; otherwise `WordTokenizer` tokenizes the text, cut at the spans' edges. Prodigy answers
/// other than `accept` (`reject`, `ignore`) are skipped, as Prodigy's own exports do.
public struct SpacySpanReader: Sendable {
    public init() {}

    public func read(path: String) throws -> [SpanItem] {
        try records(path: path).map(\.item)
    }

    /// Every accepted line with its number; a line answers when it has a `spans` list (`[]`: no entities).
    public func records(path: String) throws -> [SpanFileRecord] {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, message: "cannot read the file as UTF-8 text")
        }
        var items: [SpanFileRecord] = []
        var lineNumber = 0
        // Bytes, not Characters: "\r\n" is a single Character in Swift.
        for rawLine in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = String(decoding: rawLine.last == 0x0D ? rawLine.dropLast() : rawLine, as: UTF8.self)
            if line.allSatisfy(\.isWhitespace) { continue }
            let record: JSONValue
            do {
                record = try JSONParser.parse(line)
            } catch let failure as JSONParser.Failure {
                throw InputError(file: path, line: lineNumber, message: "not valid JSON (\(failure))")
            }
            if let answer = record["answer"]?.stringValue, answer != "accept" { continue }
            items.append(SpanFileRecord(item: try item(from: record, ordinal: lineNumber, file: path, line: lineNumber),
                                        line: lineNumber, hasAnswer: record["spans"]?.arrayValue != nil))
        }
        return items
    }

    func item(from record: JSONValue, ordinal: Int, file: String, line: Int) throws -> SpanItem {
        func fail(_ message: String) -> InputError { InputError(file: file, line: line, message: message) }
        func offset(_ value: JSONValue?, _ name: String) throws -> Int {
            guard let number = value?.doubleValue, let whole = Int(exactly: number) else {
                throw fail("\"\(name)\" is not a whole number")
            }
            return whole
        }
        guard let text = record["text"]?.stringValue else { throw fail("no \"text\" string") }
        let id = record["id"]?.plainText ?? record["meta"]?["id"]?.plainText ?? String(ordinal)
        let scalars = ScalarText(text)
        var spans: [EntitySpan] = []
        for span in record["spans"]?.arrayValue ?? [] {
            let start = try offset(span["start"], "start")
            let end = try offset(span["end"], "end")
            guard let type = span["label"]?.stringValue else { throw fail("span \(start)..<\(end) has no \"label\"") }
            guard start < end, let covered = scalars.slice(start, end) else {
                throw fail("span \(start)..<\(end) is not a range of the text (\(scalars.count) characters)")
            }
            spans.append(EntitySpan(start: start, end: end, type: type, text: covered))
        }
        guard let tokenValues = record["tokens"]?.arrayValue else {
            return SpanItem(id: id, text: text, spans: spans)
        }
        var tokens: [TextToken] = []
        for token in tokenValues {
            let start = try offset(token["start"], "tokens.start")
            let end = try offset(token["end"], "tokens.end")
            guard start <= end, let covered = scalars.slice(start, end) else {
                throw fail("token \(start)..<\(end) is not a range of the text")
            }
            tokens.append(TextToken(start: start, end: end, text: covered))
        }
        return SpanItem(id: id, text: text, tokens: tokens, spans: spans)
    }
}
