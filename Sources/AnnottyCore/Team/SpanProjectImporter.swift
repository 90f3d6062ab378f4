/// Imports a span file into a `spans` project: each sentence, task or line an item (its text as the
/// reader gives it, its tokens and CoNLL document kept in the item's metadata for export), and the
/// span set the file gives it, where it gives one, as an `imported` decision.
///
/// Every entity type must be one of the project's labels, checked over the whole file before
/// anything is stored, so a file with a stray type leaves the project as it was.
public struct SpanProjectImporter {
    public let store: SQLiteStore
    /// The project's entity types (its labels).
    public let types: [String]

    public init(store: SQLiteStore, types: [String]) {
        self.store = store
        self.types = types
    }

    public struct Report: Sendable, Equatable {
        public var records: Int
        public var counts: SpanImportCounts
        public var spans: Int
        /// Records the file gave no answer (text still to annotate).
        public var unanswered: Int
        /// The span sets in the file by who gave them (Label Studio's `completed_by`, else the default annotator).
        public var setsByAnnotator: [String: Int]
    }

    /// - Parameter annotator: who the imported span sets are recorded as.
    /// - Throws: `InputError` naming the file and line for an unreadable record or a type outside the
    ///   project's labels; the store's errors.
    /// - Parameter asGold: keep each item's first span set as its gold answer (a golden question,
    ///   scored in `stats` and `aggregate`) instead of recording it as `annotator`'s decision.
    /// - Parameter textOnly: import the items and leave the file's spans out: sentences to annotate.
    public func importFile(at path: String, format: SpanFileFormat, annotator: String, textField: String = "text",
                           asGold: Bool = false, textOnly: Bool = false) throws -> Report {
        let records = try format.readRecords(path: path, textField: textField, everyAnnotation: true)
        let known = Set(types)
        var entries: [SpanImportEntry] = []
        entries.reserveCapacity(records.count)
        var entryIndex: [String: Int] = [:]
        var report = Report(records: 0, counts: SpanImportCounts(), spans: 0, unanswered: 0, setsByAnnotator: [:])
        for record in records {
            let item = record.item
            if let unknown = item.spans.first(where: { !known.contains($0.type) }) {
                throw InputError(file: path, line: record.line, message:
                    "entity type \"\(TerminalSafeText.sanitize(unknown.type))\" (on \"\(TerminalSafeText.sanitize(unknown.text))\") is not one of "
                    + "this project's labels (\(types.joined(separator: ", "))); add it to annotty.toml's [[labels]] or fix the file")
            }
            // Several annotations of one Label Studio task arrive as consecutive records of one item.
            let key = "\(record.line)\u{1f}\(item.id)"
            let index: Int
            if let existing = entryIndex[key] {
                index = existing
            } else {
                var imported = ImportRecord(externalId: item.id, text: item.text,
                                            metadataJSON: SpanItemMetadata.encode(tokens: item.tokens, document: item.document))
                imported.contentDigest = SpanProjectImporter.contentDigest(id: item.id, text: item.text)
                entries.append(SpanImportEntry(record: imported, sets: []))
                index = entries.count - 1
                entryIndex[key] = index
                report.records += 1
            }
            guard record.hasAnswer, !textOnly else {
                report.unanswered += 1
                continue
            }
            let by = record.annotator ?? annotator
            if asGold {
                if entries[index].record.goldLabel == nil {
                    entries[index].record.goldLabel = SpanAnnotation.label(for: item.spans)
                    report.spans += item.spans.count
                    report.setsByAnnotator["gold", default: 0] += 1
                }
                continue
            }
            entries[index].sets.append((by, item.spans))
            report.spans += item.spans.count
            report.setsByAnnotator[by, default: 0] += 1
        }
        report.counts = try store.importSpanItems(entries)
        return report
    }

    /// A span item's identity is its id in the file with its text, not its text alone: CoNLL-2003
    /// repeats sentences ("-- Helsinki Newsroom +358 - 0 - 680 50 245", headlines) in different
    /// documents, and each occurrence is a sentence to annotate and to write back. The same file
    /// imported again still adds nothing.
    static func contentDigest(id: String, text: String) -> [UInt8] {
        ContentHash.digest(text: text, fields: [ItemField(name: "annotty.span_item_id", value: id)])
    }
}
