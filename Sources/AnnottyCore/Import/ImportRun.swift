import Foundation

/// One import in progress: readers hand it records and problems; it decides whether a problem
/// stops the import (the default, all-or-nothing) or is listed and skipped (`--skip-invalid`).
public final class ImportRun {
    public let path: String
    public let options: ImportOptions
    var sink: any ImportSink
    public private(set) var warnings: [InputError] = []
    public private(set) var skipped: [InputError] = []

    init(path: String, options: ImportOptions, sink: any ImportSink) {
        self.path = path
        self.options = options
        self.sink = sink
    }

    func emit(_ record: ImportRecord) throws {
        try sink.add(record)
    }

    /// A row that cannot be imported.
    func problem(line: Int?, _ message: String) throws {
        let error = InputError(file: path, line: line, message: message)
        guard options.skipInvalid else { throw error }
        skipped.append(error)
    }

    /// Something worth telling that does not stop the import.
    func warn(line: Int?, _ message: String) {
        warnings.append(InputError(file: path, line: line, message: message))
    }

    /// Builds a record from one row's columns (in file order), or reports why the row is unusable.
    func record(from columns: [(key: String, value: JSONValue)], line: Int) throws -> ImportRecord? {
        func value(_ key: String) -> JSONValue? { columns.first { $0.key == key }?.value }
        guard let rawText = value(options.textField) else {
            let available = columns.prefix(8).map(\.key).joined(separator: ", ")
            try problem(line: line, "no \"\(options.textField)\" field (fields here: \(available)); choose one with --text-field")
            return nil
        }
        guard case .string(let text) = rawText else {
            try problem(line: line, "\"\(options.textField)\" is \(rawText.kindName), not a string")
            return nil
        }
        if text.allSatisfy(\.isWhitespace) {
            try problem(line: line, "\"\(options.textField)\" is empty")
            return nil
        }
        var fields: [ItemField] = []
        for name in options.displayFields {
            guard let field = value(name), field != .null else {
                try problem(line: line, "no \"\(name)\" field, which --fields asks for")
                return nil
            }
            fields.append(ItemField(name: name, value: field.plainText))
        }
        let externalId = value(options.idField).map(\.plainText)
        var goldLabel: String?
        if let goldField = options.goldField, let gold = value(goldField), gold != .null {
            goldLabel = gold.plainText
        }
        let used = Set([options.textField, options.idField, "annotty"] + options.displayFields + [options.goldField ?? ""])
        let metadataMembers = columns.filter { !used.contains($0.key) }
        let metadata = metadataMembers.isEmpty ? nil : JSONValue.object(metadataMembers).serialized
        return ImportRecord(externalId: externalId, text: text, fields: fields, metadataJSON: metadata, goldLabel: goldLabel)
    }
}
