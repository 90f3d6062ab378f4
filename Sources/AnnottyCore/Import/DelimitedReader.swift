/// CSV (RFC 4180 quoting, fields may span lines) and TSV (tab-separated, no quoting).
/// The first row names the columns.
struct DelimitedReader {
    let delimiter: UInt8
    let usesQuotes: Bool

    func read(into run: ItemImportRun) throws {
        try forEachRow(run, required: run.requiredColumns) { row, line in
            if let record = try run.record(from: row, line: line) {
                try run.emit(record)
            }
        }
    }

    /// Calls `body` with each data row's columns (header names in order) and its first line.
    func forEachRow(_ run: ImportRun, required: [(name: String, option: String)],
                    _ body: ([(key: String, value: JSONValue)], Int) throws -> Void) throws {
        let reader = try LineReader(path: run.path)
        var header: [String]?
        var emptyLines: [Int] = []
        var pendingStart = 0
        var pendingText = ""
        try reader.forEachLine { bytes, line in
            let text: String
            do { text = try LineReader.decode(bytes, file: run.path, line: line) } catch let error as InputError {
                try run.problem(line: line, error.message)
                return true
            }
            if pendingText.isEmpty, text.allSatisfy(\.isWhitespace) {
                emptyLines.append(line)
                return true
            }
            if pendingText.isEmpty { pendingStart = line } else { pendingText += "\n" }
            pendingText += text
            guard let values = try split(pendingText, line: pendingStart, run: run) else { return true }
            pendingText = ""
            if values.isEmpty { return true }
            guard let columns = header else {
                header = values.map { $0.trimmingCharacters(in: .whitespaces) }
                try checkHeader(header!, required: required, run: run)
                return true
            }
            guard values.count == columns.count else {
                try run.problem(line: pendingStart, "expected \(columns.count) columns as in the header, found \(values.count)")
                return true
            }
            try body(zip(columns, values).map { (key: $0, value: JSONValue.string($1)) }, pendingStart)
            return true
        }
        if !pendingText.isEmpty {
            try run.problem(line: pendingStart, "a quoted field is never closed")
        }
        if header == nil {
            try run.problem(line: nil, "the file is empty: expected a header row naming the columns")
        }
        ImportWarnings.report(reader, emptyLines: emptyLines, into: run)
    }

    private func checkHeader(_ header: [String], required: [(name: String, option: String)], run: ImportRun) throws {
        for column in required where !header.contains(column.name) {
            throw InputError(file: run.path, line: 1,
                             message: "no \"\(column.name)\" column (columns: \(header.joined(separator: ", "))); choose one with \(column.option)")
        }
    }

    /// Splits one record; returns nil while a quoted field is still open (the record goes on).
    private func split(_ text: String, line: Int, run: ImportRun) throws -> [String]? {
        var values: [String] = []
        var current: [UInt8] = []
        var inQuotes = false
        var afterQuote = false
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        current.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    current.append(byte)
                }
            } else if byte == delimiter {
                values.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                afterQuote = false
            } else if usesQuotes, byte == UInt8(ascii: "\""), current.isEmpty, !afterQuote {
                inQuotes = true
            } else if afterQuote {
                try run.problem(line: line, "text after a closing quote; double a quote inside a quoted field (\"\")")
                return []
            } else {
                current.append(byte)
            }
            index += 1
        }
        if inQuotes { return nil }
        values.append(String(decoding: current, as: UTF8.self))
        return values
    }
}
