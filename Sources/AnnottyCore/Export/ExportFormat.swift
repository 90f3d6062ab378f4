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
}
