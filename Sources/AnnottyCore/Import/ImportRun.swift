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

    /// Builds a record from one row's columns, or reports why the row is unusable.
    func record(from columns: [String: Any], keyOrder: [String], line: Int) throws -> ImportRecord? {
        guard let rawText = columns[options.textField] else {
            let available = keyOrder.prefix(8).joined(separator: ", ")
            try problem(line: line, "no \"\(options.textField)\" field (fields here: \(available)); choose one with --text-field")
            return nil
        }
        guard let text = rawText as? String else {
            try problem(line: line, "\"\(options.textField)\" is not a string")
            return nil
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            try problem(line: line, "\"\(options.textField)\" is empty")
            return nil
        }
        var fields: [ItemField] = []
        for name in options.displayFields {
            guard let value = columns[name], !(value is NSNull) else {
                try problem(line: line, "no \"\(name)\" field, which --fields asks for")
                return nil
            }
            fields.append(ItemField(name: name, value: ImportRun.plainText(value)))
        }
        let externalId = columns[options.idField].map(ImportRun.plainText)
        var goldLabel: String?
        if let goldField = options.goldField, let gold = columns[goldField], !(gold is NSNull) {
            goldLabel = ImportRun.plainText(gold)
        }
        let used = Set([options.textField, options.idField, "annotty"] + options.displayFields + [options.goldField ?? ""])
        let metadataKeys = keyOrder.filter { !used.contains($0) }
        var metadata: String?
        if !metadataKeys.isEmpty {
            var object: [String: Any] = [:]
            for key in metadataKeys { object[key] = columns[key] }
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) {
                metadata = String(decoding: data, as: UTF8.self)
            }
        }
        return ImportRecord(externalId: externalId, text: text, fields: fields, metadataJSON: metadata, goldLabel: goldLabel)
    }

    static func plainText(_ value: Any) -> String {
        switch value {
        case let string as String: return string
        case let number as NSNumber:
            // JSON booleans arrive as NSNumber too; their Objective-C type code is "c".
            if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
            return number.stringValue
        case is NSNull: return ""
        default:
            if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) {
                return String(decoding: data, as: UTF8.self)
            }
            return "\(value)"
        }
    }
}
