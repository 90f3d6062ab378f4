/// The file formats `annotty export` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One JSON object per item: the item as imported plus an `annotty` object with the final
    /// label, how it was decided, by whom, the confidence shown and timestamps.
    case jsonl
    case csv
    /// Label Studio task JSON with annotations and predictions (with scores).
    case labelStudio = "labelstudio"
    /// Flat JSONL of labelled items that Hugging Face `datasets` loads as is.
    case huggingFace = "hf"
    /// Prodigy's JSONL for text classification: per labelled item one line with `label`,
    /// `answer: "accept"`, the `options` and the `accept`ed choice; where a person rejected the
    /// LLM's pre-label, one more line with that label and `answer: "reject"`.
    case prodigy
}

/// What one export wrote and left out.
public struct ExportSummary: Sendable, Equatable {
    public var written: Int
    /// Items without a final label that the format (hf) or --labelled-only left out.
    public var leftOutUnlabelled: Int
    /// The display fields of the exported rows (the first row's), beside id and text.
    public var fieldNames: [String]
}
