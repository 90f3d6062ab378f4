/// Label sets as CSV: a header `id,text,labels`, the labels of a row in one cell joined by
/// `separator` ("joy|surprise"); an empty cell is the empty set. Cells are quoted per RFC 4180, so
/// texts may hold commas, quotes and line breaks.
public enum MultiLabelCSV {
    public static let defaultSeparator: Character = "|"

    /// - Throws: `MultiLabelWriteError` when a label name contains the separator or is empty (it
    ///   could not be read back as one label).
    public static func write(_ records: [MultiLabelRecord], separator: Character = defaultSeparator) throws -> String {
        var out = CSVText.row(["id", "text", "labels"])
        for record in records {
            for label in record.labels where label.isEmpty || label.contains(separator) {
                throw MultiLabelWriteError(message: "label \"\(label)\" of item \(record.id) cannot be written: "
                                           + "empty or containing the separator \"\(separator)\"; choose another separator")
            }
            out += CSVText.row([record.id, record.text, record.labels.joined(separator: String(separator))])
        }
        return out
    }

    /// Reads a file with `id` (optional), `text` (or `textField`) and `labels` columns in any order;
    /// an `annotator` column, when there, names who gave each set, and a `gold` column (same
    /// separator) the item's true set where its cell is not empty. An export marks an item without
    /// a final set by an empty `labels` cell and an empty `label_from` cell: such a row, in a file
    /// with a `label_from` column, is read as not answered. Other columns are ignored.
    public static func read(_ contents: String, file: String, separator: Character = defaultSeparator,
                            labelNames: [String]? = nil, textField: String = "text") throws -> [MultiLabelRecord] {
        let rows = try CSVRecordParser.parse(contents, file: file)
        guard let header = rows.first else { throw InputError(file: file, message: "empty file") }
        guard let textColumn = header.fields.firstIndex(of: textField) else {
            throw InputError(file: file, line: 1, message: "no \"\(textField)\" column (columns: \(header.fields.joined(separator: ", ")))")
        }
        guard let labelsColumn = header.fields.firstIndex(of: "labels") else {
            throw InputError(file: file, line: 1, message: "no \"labels\" column (columns: \(header.fields.joined(separator: ", ")))")
        }
        let idColumn = header.fields.firstIndex(of: "id")
        let annotatorColumn = header.fields.firstIndex(of: "annotator")
        let labelFromColumn = header.fields.firstIndex(of: "label_from")
        let goldColumn = header.fields.firstIndex(of: "gold")
        func split(_ cell: String, line: Int) throws -> [String] {
            let labels = cell.isEmpty ? [] : cell.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            if labels.contains("") {
                throw InputError(file: file, line: line, message: "an empty label in \"\(cell)\" (separator \"\(separator)\")")
            }
            return labels
        }
        var records: [MultiLabelRecord] = []
        for row in rows.dropFirst() {
            guard row.fields.count == header.fields.count else {
                throw InputError(file: file, line: row.line,
                                 message: "\(row.fields.count) cells where the header has \(header.fields.count)")
            }
            let cell = row.fields[labelsColumn]
            let labels = try split(cell, line: row.line)
            let gold = try goldColumn.map { row.fields[$0] }.flatMap { $0.isEmpty ? nil : try split($0, line: row.line) }
            let id = idColumn.map { row.fields[$0] } ?? String(records.count + 1)
            let annotator = annotatorColumn.map { row.fields[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            let isAnswered = !(cell.isEmpty && labelFromColumn.map { row.fields[$0].isEmpty } == true)
            records.append(try MultiLabelRecord(id: id, text: row.fields[textColumn], labels: labels, isAnswered: isAnswered,
                                                annotator: annotator, gold: gold, line: row.line)
                .checked(file: file, line: row.line, labelNames: labelNames))
        }
        return records
    }
}
