import Foundation

/// Reads the TOML subset annotty's config uses: comments, `key = value`, `[section]`,
/// `[[array-of-tables]]`, strings (basic and literal), numbers, booleans and one-line arrays.
/// Errors name the file and line, like every input error in annotty.
public struct ConfigFileParser {
    public struct Document: Sendable {
        /// Top-level keys live in the table named "".
        public var tables: [String: ConfigTable] = ["": ConfigTable()]
        public var arrays: [String: [ConfigTable]] = [:]
    }

    public let fileName: String

    public init(fileName: String) {
        self.fileName = fileName
    }

    public func parse(_ text: String) throws -> Document {
        var document = Document()
        var current: (name: String, isArray: Bool) = ("", false)
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let line = stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[[") {
                guard line.hasSuffix("]]") else { throw error(lineNumber, "expected ]] to close the table header") }
                let name = String(line.dropFirst(2).dropLast(2)).trimmingCharacters(in: .whitespaces)
                var table = ConfigTable()
                table.headerLine = lineNumber
                document.arrays[name, default: []].append(table)
                current = (name, true)
            } else if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw error(lineNumber, "expected ] to close the section header") }
                let name = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if document.tables[name] != nil, !name.isEmpty {
                    throw error(lineNumber, "section [\(name)] appears twice")
                }
                var table = ConfigTable()
                table.headerLine = lineNumber
                document.tables[name] = table
                current = (name, false)
            } else {
                guard let equals = line.firstIndex(of: "=") else {
                    throw error(lineNumber, "expected `key = value`")
                }
                let key = line[..<equals].trimmingCharacters(in: .whitespaces)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                guard !key.isEmpty else { throw error(lineNumber, "missing key before =") }
                let valueText = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                var scanner = ValueScanner(text: Array(valueText.unicodeScalars))
                let value: ConfigValue
                do {
                    value = try scanner.parseValue()
                    scanner.skipSpaces()
                    if !scanner.atEnd { throw ValueScanner.Failure(message: "unexpected text after the value") }
                } catch let failure as ValueScanner.Failure {
                    throw error(lineNumber, "\(key): \(failure.message)")
                }
                if current.isArray {
                    let index = document.arrays[current.name]!.count - 1
                    if document.arrays[current.name]![index].values[key] != nil {
                        throw error(lineNumber, "\(key) is set twice")
                    }
                    document.arrays[current.name]![index].values[key] = value
                    document.arrays[current.name]![index].lines[key] = lineNumber
                } else {
                    if document.tables[current.name]!.values[key] != nil {
                        throw error(lineNumber, "\(key) is set twice")
                    }
                    document.tables[current.name]!.values[key] = value
                    document.tables[current.name]!.lines[key] = lineNumber
                }
            }
        }
        return document
    }

    func error(_ line: Int, _ message: String) -> InputError {
        InputError(file: fileName, line: line, message: message)
    }

    /// Drops a `#` comment that is not inside a string.
    private func stripComment(_ line: String) -> String {
        var quote: Character?
        var escaped = false
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if escaped { escaped = false; continue }
                if character == "\\" && open == "\"" { escaped = true; continue }
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#" {
                return String(line[..<index])
            }
        }
        return line
    }
}

private struct ValueScanner {
    struct Failure: Error { let message: String }

    let text: [Unicode.Scalar]
    var position = 0

    var atEnd: Bool { position >= text.count }

    mutating func skipSpaces() {
        while position < text.count, text[position] == " " || text[position] == "\t" { position += 1 }
    }

    mutating func parseValue() throws -> ConfigValue {
        skipSpaces()
        guard position < text.count else { throw Failure(message: "missing value") }
        switch text[position] {
        case "\"": return .string(try parseBasicString())
        case "'": return .string(try parseLiteralString())
        case "[": return try parseArray()
        default: return try parseBareValue()
        }
    }

    mutating func parseBasicString() throws -> String {
        position += 1
        var result = String.UnicodeScalarView()
        while position < text.count {
            let scalar = text[position]
            position += 1
            if scalar == "\"" { return String(result) }
            if scalar == "\\" {
                guard position < text.count else { break }
                let escape = text[position]
                position += 1
                switch escape {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\"": result.append("\"")
                case "\\": result.append("\\")
                case "u":
                    guard position + 4 <= text.count,
                          let code = UInt32(String(String.UnicodeScalarView(text[position..<position + 4])), radix: 16),
                          let decoded = Unicode.Scalar(code) else { throw Failure(message: "bad \\u escape") }
                    result.append(decoded)
                    position += 4
                default: throw Failure(message: "unknown escape \\\(escape)")
                }
            } else {
                result.append(scalar)
            }
        }
        throw Failure(message: "unterminated string")
    }

    mutating func parseLiteralString() throws -> String {
        position += 1
        var result = String.UnicodeScalarView()
        while position < text.count {
            let scalar = text[position]
            position += 1
            if scalar == "'" { return String(result) }
            result.append(scalar)
        }
        throw Failure(message: "unterminated string")
    }

    mutating func parseArray() throws -> ConfigValue {
        position += 1
        var elements: [ConfigValue] = []
        while true {
            skipSpaces()
            guard position < text.count else { throw Failure(message: "unterminated array (arrays stay on one line)") }
            if text[position] == "]" { position += 1; return .array(elements) }
            elements.append(try parseValue())
            skipSpaces()
            guard position < text.count else { throw Failure(message: "unterminated array (arrays stay on one line)") }
            if text[position] == "," { position += 1 } else if text[position] != "]" {
                throw Failure(message: "expected , or ] in array")
            }
        }
    }

    mutating func parseBareValue() throws -> ConfigValue {
        let start = position
        while position < text.count, text[position] != ",", text[position] != "]", text[position] != " " { position += 1 }
        let word = String(String.UnicodeScalarView(text[start..<position])).replacingOccurrences(of: "_", with: "")
        if word == "true" { return .bool(true) }
        if word == "false" { return .bool(false) }
        if let integer = Int(word) { return .integer(integer) }
        if let double = Double(word) { return .double(double) }
        throw Failure(message: "`\(word)` is not a string, number or boolean (put text in quotes)")
    }
}
