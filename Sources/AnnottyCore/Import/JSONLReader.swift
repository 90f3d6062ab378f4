import Foundation

/// JSON Lines: one object per line. Streams, so memory stays flat whatever the file size.
struct JSONLReader {
    func read(into run: ImportRun) throws {
        let reader = try LineReader(path: run.path)
        var emptyLines: [Int] = []
        try reader.forEachLine { bytes, line in
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                emptyLines.append(line)
                return true
            }
            let text: String
            do { text = try LineReader.decode(bytes, file: run.path, line: line) } catch let error as InputError {
                try run.problem(line: line, error.message)
                return true
            }
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [])
            } catch {
                try run.problem(line: line, "not valid JSON (\(JSONLReader.describe(error)))")
                return true
            }
            guard let columns = object as? [String: Any] else {
                try run.problem(line: line, "expected a JSON object, found \(JSONLReader.kind(of: object))")
                return true
            }
            if let record = try run.record(from: columns, keyOrder: JSONLReader.keyOrder(of: text, columns: columns), line: line) {
                try run.emit(record)
            }
            return true
        }
        ImportWarnings.report(reader, emptyLines: emptyLines, into: run)
    }

    /// Keys in the order they appear in the line, so metadata and messages follow the file.
    static func keyOrder(of line: String, columns: [String: Any]) -> [String] {
        columns.keys.sorted { lhs, rhs in
            let left = line.range(of: "\"\(lhs)\"")?.lowerBound ?? line.endIndex
            let right = line.range(of: "\"\(rhs)\"")?.lowerBound ?? line.endIndex
            return left < right
        }
    }

    static func kind(of object: Any) -> String {
        switch object {
        case is [Any]: return "an array"
        case is String: return "a string"
        case is NSNumber: return "a number"
        case is NSNull: return "null"
        default: return "something else"
        }
    }

    static func describe(_ error: Error) -> String {
        let text = "\(error)"
        if let range = text.range(of: "debugDescription") { return String(text[range.lowerBound...].prefix(120)) }
        return String(text.prefix(120))
    }
}

/// Warnings shared by the line-based readers.
enum ImportWarnings {
    static func report(_ reader: LineReader, emptyLines: [Int], into run: ImportRun) {
        if reader.sawByteOrderMark {
            run.warn(line: 1, "starts with a UTF-8 byte-order mark; ignored")
        }
        if let line = reader.firstCRLFLine {
            run.warn(line: line, "Windows (CRLF) line endings from here on; read as plain line breaks")
        }
        if !emptyLines.isEmpty {
            let shown = emptyLines.prefix(5).map(String.init).joined(separator: ", ")
            let more = emptyLines.count > 5 ? " and \(emptyLines.count - 5) more" : ""
            run.warn(line: emptyLines[0], "\(emptyLines.count) empty line(s) skipped (lines \(shown)\(more))")
        }
    }
}
