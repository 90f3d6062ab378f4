/// `annotty import-annotations` on a spans project: a span file's sets (CoNLL, Label Studio, spaCy)
/// recorded on items already in the project, found by the file's ids (as `import` stored them), as
/// `imported` decisions by the annotator the file names (Label Studio's `completed_by`), else by `annotator`. The file's text must be the item's, since the spans'
/// offsets count in it.
public struct SpanAnnotationsImporter {
    public let store: SQLiteStore
    public let types: [String]

    public init(store: SQLiteStore, types: [String]) {
        self.store = store
        self.types = types
    }

    public struct Result: Sendable, Equatable {
        public var counts: SpanImportCounts
        /// Records the file gave no answer.
        public var unanswered: Int
        /// `FILE:LINE: reason` of each record skipped with `skipInvalid`.
        public var skipped: [String]
    }

    /// - Throws: `InputError` with the file and line for an unknown type, an id the project does not
    ///   have or a text that differs from the item's (unless `skipInvalid`: then listed and skipped).
    public func importFile(at path: String, format: SpanFileFormat, annotator: String, textField: String = "text",
                           skipInvalid: Bool = false) throws -> Result {
        let records = try format.readRecords(path: path, textField: textField, everyAnnotation: true)
        let items = try store.items(externalIds: records.map(\.item.id))
        let known = Set(types)
        var sets: [(itemId: Int64, annotator: String, spans: [EntitySpan])] = []
        var skipped: [String] = []
        var unanswered = 0
        for record in records {
            guard record.hasAnswer else {
                unanswered += 1
                continue
            }
            let problem: String?
            let id = TerminalSafeText.sanitize(record.item.id)
            if let unknown = record.item.spans.first(where: { !known.contains($0.type) }) {
                problem = "entity type \"\(TerminalSafeText.sanitize(unknown.type))\" is not one of this project's labels "
                    + "(\(types.joined(separator: ", "))); add it to annotty.toml's [[labels]] or fix the file"
            } else if let item = items[record.item.id] {
                problem = item.text == record.item.text ? nil
                    : "item \(id)'s text here is not the project's text for it, so its spans' offsets would not fit; "
                      + "import the sets from a file made from this project's export"
                if problem == nil { sets.append((item.id, record.annotator ?? annotator, record.item.spans)) }
            } else {
                problem = "this project has no item \(id); import the items first (annotty import)"
            }
            if let problem {
                let error = InputError(file: path, line: record.line, message: problem)
                guard skipInvalid else { throw error }
                skipped.append(error.description)
            }
        }
        let counts = try store.importSpanSets(sets)
        return Result(counts: counts, unanswered: unanswered, skipped: skipped)
    }
}
