/// The file formats `annotty import` reads.
public enum ImportFormat: String, Sendable, CaseIterable {
    case jsonl
    case csv
    case tsv
    case text
    case labelStudio = "labelstudio"

    /// Guesses from the file name: .jsonl/.ndjson, .csv, .tsv, .txt, .json (Label Studio export).
    public static func guess(fromPath path: String) -> ImportFormat? {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") { return .jsonl }
        if lowered.hasSuffix(".csv") { return .csv }
        if lowered.hasSuffix(".tsv") || lowered.hasSuffix(".tab") { return .tsv }
        if lowered.hasSuffix(".txt") { return .text }
        if lowered.hasSuffix(".json") { return .labelStudio }
        return nil
    }
}

/// How rows become items.
public struct ImportOptions: Sendable {
    public var format: ImportFormat
    /// The column or key holding the text to label.
    public var textField: String
    /// Columns shown with the text (a hypothesis under a premise).
    public var displayFields: [String]
    /// The column holding each row's own id, kept for export.
    public var idField: String
    /// A column with a known answer: such rows become golden questions.
    public var goldField: String?
    /// Import valid rows and list the invalid ones instead of stopping at the first.
    public var skipInvalid: Bool
    /// For CSV/TSV: the separator (defaults by format).
    public var delimiter: UInt8?
    /// Two rows with the same id are an error naming both lines unless this is set (then a warning).
    public var allowDuplicateIds: Bool = false
    /// The project's labels: a Label Studio annotation or prediction with another label, or with
    /// several choices, is an error naming its line. Nil accepts any label (tests, tools).
    public var labels: [String]?

    public init(format: ImportFormat, textField: String = "text", displayFields: [String] = [], idField: String = "id",
                goldField: String? = nil, skipInvalid: Bool = false, delimiter: UInt8? = nil) {
        self.format = format
        self.textField = textField
        self.displayFields = displayFields
        self.idField = idField
        self.goldField = goldField
        self.skipInvalid = skipInvalid
        self.delimiter = delimiter
    }
}

/// What an import reports besides counts: warnings that did not stop it.
public struct ImportReport: Sendable {
    public var summary: ImportSummary
    public var warnings: [InputError]
}
