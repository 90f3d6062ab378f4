import Foundation

/// One file being read: readers hand it problems, and it decides whether a problem stops the
/// import (the default, all-or-nothing) or is listed and skipped (`--skip-invalid`).
public class ImportRun {
    public let path: String
    public let skipInvalid: Bool
    public private(set) var warnings: [InputError] = []
    public private(set) var skipped: [InputError] = []

    init(path: String, skipInvalid: Bool) {
        self.path = path
        self.skipInvalid = skipInvalid
    }

    /// A row that cannot be imported.
    func problem(line: Int?, _ message: String) throws {
        let error = InputError(file: path, line: line, message: message)
        guard skipInvalid else { throw error }
        skipped.append(error)
    }

    /// Something worth telling that does not stop the import.
    func warn(line: Int?, _ message: String) {
        warnings.append(InputError(file: path, line: line, message: message))
    }

}

/// An import of items: rows become `ImportRecord`s (with their content hash computed here, on
/// the reading thread) handed over in batches to the thread that inserts them.
/// `@unchecked`: it is created on the importing thread and then used by the reading thread
/// alone (its batch and warnings are never touched by two threads); only `handoff` is shared,
/// and that is thread-safe.
final class ItemImportRun: ImportRun, @unchecked Sendable {
    let options: ImportOptions
    let handoff: RecordHandoff
    private var batch: [ImportRecord] = []
    static let batchSize = 512
    /// Columns that are not metadata: the text, the id, display fields, the gold label.
    private let nonMetadataColumns: Set<String>
    /// The line each id was first seen on, to name both lines of a repeated id.
    private var firstLineOfId: [String: Int] = [:]

    init(path: String, options: ImportOptions, handoff: RecordHandoff) {
        self.options = options
        self.handoff = handoff
        nonMetadataColumns = Set([options.textField, options.idField, "annotty"] + options.displayFields
                                 + [options.goldField ?? ""])
        super.init(path: path, skipInvalid: options.skipInvalid)
    }

    func emit(_ record: ImportRecord) throws {
        var record = record
        record.contentDigest = ContentHash.digest(text: record.text, fields: record.fields)
        batch.append(record)
        if batch.count >= Self.batchSize { try flush() }
    }

    func flush() throws {
        guard !batch.isEmpty else { return }
        guard handoff.push(batch) else { throw ImportCancelled() }
        batch.removeAll(keepingCapacity: true)
    }

    /// Required columns of a delimited file, checked against its header.
    var requiredColumns: [(name: String, option: String)] {
        [(options.textField, "--text-field")] + options.displayFields.map { ($0, "--fields") }
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
        if let externalId {
            if let first = firstLineOfId[externalId] {
                if options.allowDuplicateIds {
                    warn(line: line, "id \"\(externalId)\" was already used on line \(first); imported as a second item")
                } else {
                    try problem(line: line, "id \"\(externalId)\" was already used on line \(first) (ids must be unique in a file; "
                                + "--allow-duplicate-ids imports both)")
                    return nil
                }
            } else {
                firstLineOfId[externalId] = line
            }
        }
        var goldLabel: String?
        if let goldField = options.goldField, let gold = value(goldField), gold != .null {
            goldLabel = gold.plainText
        }
        let metadata = Item.metadataJSON(columns: columns, excluding: nonMetadataColumns)
        return ImportRecord(externalId: externalId, text: text, fields: fields, metadataJSON: metadata, goldLabel: goldLabel)
    }
}
