/// Plain text: each non-empty line is one item.
struct PlainTextReader {
    func read(into run: ItemImportRun) throws {
        let reader = try LineReader(path: run.path)
        var emptyLines: [Int] = []
        try reader.forEachLine { bytes, line in
            let text: String
            do { text = try LineReader.decode(bytes, file: run.path, line: line) } catch let error as InputError {
                try run.problem(line: line, error.message)
                return true
            }
            if text.allSatisfy(\.isWhitespace) {
                emptyLines.append(line)
                return true
            }
            try run.emit(ImportRecord(text: text))
            return true
        }
        ImportWarnings.report(reader, emptyLines: emptyLines, into: run)
    }
}
