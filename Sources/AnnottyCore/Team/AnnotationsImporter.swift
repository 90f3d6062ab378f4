/// Reads existing labels with an annotator column (`annotty import-annotations`), such as a
/// crowdsourcing export: one row per label, naming the item by its own id.
public struct AnnotationsImporter {
    public struct Columns: Sendable {
        public var item: String
        public var annotator: String
        public var label: String
        public var gold: String?

        public init(item: String = "id", annotator: String = "annotator", label: String = "label", gold: String? = nil) {
            self.item = item
            self.annotator = annotator
            self.label = label
            self.gold = gold
        }
    }

    public let store: any AnnotationStore
    public let labels: LabelSet
    /// Maps values in the file to label names (`0` to `no`); values not named pass through.
    public let labelMap: [String: String]

    public init(store: any AnnotationStore, labels: LabelSet, labelMap: [String: String] = [:]) {
        self.store = store
        self.labels = labels
        self.labelMap = labelMap
    }

    /// All-or-nothing: an unknown item or label stops the import with its file and line. A label
    /// already imported for the same item and annotator is counted in `alreadyImported`, not again.
    public func importFile(at path: String, format: ImportFormat, columns: Columns, skipInvalid: Bool = false)
        throws -> (recorded: Int, alreadyImported: Int, skipped: [InputError]) {
        var skipped: [InputError] = []
        let counts = try store.importAnnotations { sink in
            let run = ImportRun(path: path, skipInvalid: skipInvalid)
            defer { skipped = run.skipped }
            let handle: ([(key: String, value: JSONValue)], Int) throws -> Void = { row, line in
                func value(_ key: String) -> String? { row.first { $0.key == key }?.value.plainText }
                guard let item = value(columns.item), let annotator = value(columns.annotator), let raw = value(columns.label) else {
                    try run.problem(line: line, "needs the columns \(columns.item), \(columns.annotator) and \(columns.label)")
                    return
                }
                let label = labelMap[raw] ?? raw
                guard labels.contains(label) else {
                    try run.problem(line: line, "label \"\(raw)\" is not one of \(labels.names.joined(separator: ", ")) (map it with --map \(raw)=NAME)")
                    return
                }
                var gold: String?
                if let goldColumn = columns.gold, let rawGold = value(goldColumn), !rawGold.isEmpty {
                    gold = labelMap[rawGold] ?? rawGold
                    guard labels.contains(gold!) else {
                        try run.problem(line: line, "gold label \"\(rawGold)\" is not one of \(labels.names.joined(separator: ", "))")
                        return
                    }
                }
                guard try sink.add(externalId: item, annotator: annotator, label: label, goldLabel: gold) != .unknownItem else {
                    try run.problem(line: line, "no item with id \"\(item)\" in the project (import the items first)")
                    return
                }
            }
            let required = [(columns.item, "--item-column"), (columns.annotator, "--annotator-column"), (columns.label, "--label-column")]
            switch format {
            case .csv: try DelimitedReader(delimiter: UInt8(ascii: ","), usesQuotes: true).forEachRow(run, required: required, handle)
            case .tsv: try DelimitedReader(delimiter: 0x09, usesQuotes: false).forEachRow(run, required: required, handle)
            case .jsonl: try JSONLReader().forEachObject(run, handle)
            case .text, .labelStudio:
                throw InputError(file: path, message: "annotations are read from CSV, TSV or JSONL (use `import` for Label Studio tasks)")
            }
        }
        return (counts.recorded, counts.alreadyImported, skipped)
    }
}
