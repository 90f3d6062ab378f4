/// JSON Lines: one object per line. Streams, so memory stays flat whatever the file size.
struct JSONLReader {
    func read(into run: ItemImportRun) throws {
        try forEachObject(run) { columns, line in
            if let record = try run.record(from: columns, line: line) {
                try run.emit(record)
            }
        }
    }

    /// Calls `body` with each line's object members and the line number.
    func forEachObject(_ run: ImportRun, _ body: ([(key: String, value: JSONValue)], Int) throws -> Void) throws {
        let reader = try LineReader(path: run.path)
        var emptyLines: [Int] = []
        try reader.forEachLine { bytes, line in
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                emptyLines.append(line)
                return true
            }
            let parsed: JSONValue
            do {
                parsed = try JSONParser.parse(bytes)
            } catch let failure as JSONParser.Failure {
                if String(validating: bytes, as: UTF8.self) == nil {
                    do { _ = try LineReader.decode(bytes, file: run.path, line: line) } catch let error as InputError {
                        try run.problem(line: line, error.message)
                        return true
                    }
                }
                try run.problem(line: line, "not valid JSON (\(failure))")
                return true
            }
            guard let columns = parsed.objectMembers else {
                try run.problem(line: line, "expected a JSON object, found \(parsed.kindName)")
                return true
            }
            try body(columns, line)
            return true
        }
        ImportWarnings.report(reader, emptyLines: emptyLines, into: run)
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
