/// RFC 4180 records from a whole CSV text: quoted fields may hold commas, doubled quotes and line
/// breaks; each record remembers the line it starts on, for error messages.
enum CSVRecordParser {
    struct Record {
        var line: Int
        var fields: [String]
    }

    static func parse(_ contents: String, file: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var recordHasContent = false
        let bytes = Array(contents.utf8)
        var index = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        func endRecord() {
            if recordHasContent || !fields.isEmpty || !field.isEmpty {
                endField()
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = []
            recordHasContent = false
            afterQuote = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") { line += 1 }
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: ",") {
                endField()
                recordHasContent = true
            } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1; line += 1 }
                endRecord()
                recordLine = line
            } else if byte == UInt8(ascii: "\""), field.isEmpty, !afterQuote {
                inQuotes = true
                recordHasContent = true
            } else if afterQuote {
                throw InputError(file: file, line: line, message: "text after a closing quote; double a quote inside a quoted field (\"\")")
            } else {
                field.append(byte)
                recordHasContent = true
            }
            index += 1
        }
        if inQuotes { throw InputError(file: file, line: recordLine, message: "a quoted field is never closed") }
        endRecord()
        return records
    }
}
