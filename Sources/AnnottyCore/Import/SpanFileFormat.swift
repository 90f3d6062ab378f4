/// The span files `annotty import` reads into a `spans` project and `annotty export` writes from one.
public enum SpanFileFormat: String, Sendable, CaseIterable {
    /// CoNLL: a token and its tag per line (IOB1 or IOB2 on import; IOB2 by default on export).
    case conll
    /// Label Studio tasks with `labels` results (`start`, `end` in UTF-16 units, `text`).
    case labelStudio = "labelstudio"
    /// spaCy/Prodigy JSONL with `text`, `tokens` and `spans`.
    case spacy
    /// Hugging Face token classification: `tokens` and `ner_tags` ids, with a features file (export only).
    case huggingFace = "hf"

    /// The formats an import reads.
    public static let importable: [SpanFileFormat] = [.conll, .labelStudio, .spacy]

    /// From the file name: `.json` Label Studio, `.jsonl` spaCy, `.conll`, `.iob`, `.bio` and
    /// CoNLL-2003's own `.train`, `.testa`, `.testb` CoNLL; nil otherwise.
    public static func guess(fromPath path: String) -> SpanFileFormat? {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".json") { return .labelStudio }
        if lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") { return .spacy }
        for suffix in [".conll", ".conllu", ".iob", ".iob1", ".iob2", ".bio", ".train", ".testa", ".testb", ".dev", ".test"]
            where lowered.hasSuffix(suffix) {
            return .conll
        }
        return nil
    }

    /// Reads the file's records with the format's reader.
    /// - Parameters:
    ///   - textField: Label Studio's `data` key holding the text.
    ///   - everyAnnotation: Label Studio: a record per annotation, each with its `completed_by`.
    public func readRecords(path: String, textField: String = "text", everyAnnotation: Bool = false) throws -> [SpanFileRecord] {
        switch self {
        case .conll: return try CoNLLReader().records(path: path)
        case .labelStudio: return try LabelStudioSpanReader(textField: textField).records(path: path, everyAnnotation: everyAnnotation)
        case .spacy: return try SpacySpanReader().records(path: path)
        case .huggingFace:
            throw InputError(file: path, message: "hf token classification is an export format; import CoNLL, Label Studio JSON or spaCy JSONL")
        }
    }
}
