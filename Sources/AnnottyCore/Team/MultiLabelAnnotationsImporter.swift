import Foundation

/// Reads label sets into a multi-label project (`annotty import-annotations` on a `multi`
/// project): JSONL lists, CSV with a separator, Label Studio choices, Hugging Face multi-hot, each
/// record naming its item by the item's own id. Every set becomes an `imported` decision whose
/// label is the encoded set (`MultiLabelAnswer`), as single-label imports record one label.
public struct MultiLabelAnnotationsImporter {
    public struct Options: Sendable {
        public var format: MultiLabelFormat
        /// CSV: the character between labels in the `labels` cell.
        public var separator: Character
        /// hf: the features file with `label_names` (default: beside the rows, `x.jsonl` → `x.features.json`).
        public var featuresPath: String?
        /// Who gave the sets when a record does not say (JSONL `annotator`, CSV `annotator` column).
        public var annotator: String
        public var skipInvalid: Bool

        public init(format: MultiLabelFormat, separator: Character = MultiLabelCSV.defaultSeparator, featuresPath: String? = nil,
                    annotator: String = "imported", skipInvalid: Bool = false) {
            self.format = format
            self.separator = separator
            self.featuresPath = featuresPath
            self.annotator = annotator
            self.skipInvalid = skipInvalid
        }
    }

    public struct Outcome: Sendable, Equatable {
        public var recorded = 0
        public var alreadyImported = 0
        /// Records without an answer (an export's items that had no final set), left out.
        public var unanswered = 0
        /// Records that carried the item's gold set (kept as the item's gold answer).
        public var withGold = 0
        public var skipped: [InputError] = []
    }

    public let store: any AnnotationStore
    public let labels: LabelSet
    /// Whether an empty set is an answer the project takes (`allow_empty_set`).
    public let allowEmptySet: Bool
    /// The project's `text_field`: the key or column the text is under.
    public let textField: String

    public init(store: any AnnotationStore, labels: LabelSet, allowEmptySet: Bool, textField: String = "text") {
        self.store = store
        self.labels = labels
        self.allowEmptySet = allowEmptySet
        self.textField = textField
    }

    /// All-or-nothing: a label outside the project, a malformed record, an unknown item or an
    /// empty set where the project wants at least one label stops the import with file and line;
    /// with `skipInvalid` the last two are skipped and listed (a file that cannot be read stops it
    /// either way). Importing the same file again records nothing new.
    public func importFile(at path: String, options: Options) throws -> Outcome {
        let records = try read(path: path, options: options)
        var outcome = Outcome()
        let run = ImportRun(path: path, skipInvalid: options.skipInvalid)
        let counts = try store.importAnnotations { sink in
            for record in records {
                guard record.isAnswered else {
                    outcome.unanswered += 1
                    if record.gold != nil {
                        try run.problem(line: record.line, "item \"\(record.id)\" has a gold set but no answer; "
                                        + "give its \"labels\" too (gold is recorded with an answer)")
                    }
                    continue
                }
                if record.labels.isEmpty && !allowEmptySet {
                    try run.problem(line: record.line, "item \"\(record.id)\" has the empty set, and this project wants at least "
                                    + "one label per item (allow_empty_set = false in annotty.toml)")
                    continue
                }
                let answer = MultiLabelAnswer(record.labels, labels: labels)
                let added = try sink.add(externalId: record.id, annotator: record.annotator ?? options.annotator,
                                         label: answer.encoded, goldLabel: record.gold.map { MultiLabelAnswer($0, labels: labels).encoded })
                if added != .unknownItem, record.gold != nil { outcome.withGold += 1 }
                if added == .unknownItem {
                    try run.problem(line: record.line, "no item with id \"\(record.id)\" in the project (import the items first)")
                }
            }
        }
        outcome.recorded = counts.recorded
        outcome.alreadyImported = counts.alreadyImported
        outcome.skipped = run.skipped
        return outcome
    }

    /// The file's records, every label checked against the project's.
    func read(path: String, options: Options) throws -> [MultiLabelRecord] {
        let contents = try Self.contents(of: path)
        let names = labels.names
        switch options.format {
        case .jsonl: return try MultiLabelJSONL.read(contents, file: path, labelNames: names, textField: textField)
        case .csv:
            return try MultiLabelCSV.read(contents, file: path, separator: options.separator, labelNames: names, textField: textField)
        case .labelStudio:
            return try MultiLabelLabelStudio.readEveryAnnotation(contents, file: path, labelNames: names, textField: textField)
        case .huggingFace:
            let featuresPath = options.featuresPath ?? Exporter.huggingFaceFeaturesPath(besides: path)
            guard FileManager.default.fileExists(atPath: featuresPath) else {
                throw InputError(file: featuresPath, message: "no features file with the label names beside \(path) "
                                 + "(annotty export --format hf writes one; name another with --features)")
            }
            let fileNames = try MultiLabelHuggingFace.readLabelNames(try Self.contents(of: featuresPath), file: featuresPath)
            if let unknown = fileNames.first(where: { !labels.contains($0) }) {
                throw InputError(file: featuresPath, line: 1, message: "label \"\(unknown)\" is not one of the project's labels "
                                 + "(\(names.joined(separator: ", ")))")
            }
            return try MultiLabelHuggingFace.readRows(contents, file: path, labelNames: fileNames, textField: textField)
        }
    }

    static func contents(of path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot read the file (does it exist, and may you read it?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, message: "not UTF-8 text")
        }
        return text
    }
}
