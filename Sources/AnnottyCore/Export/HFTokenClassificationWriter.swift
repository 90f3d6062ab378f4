import Foundation

/// Writes span items for Hugging Face token classification: JSONL rows `{"id", "tokens",
/// "ner_tags"}` with tag ids, and beside it a features file (the `features` of a datasets
/// `dataset_info.json`) naming the ids: `ner_tags` is a `Sequence` of `ClassLabel` whose names
/// are `O`, then `B-`/`I-` for each type in sorted order (CoNLL-2003's HF layout).
public struct HFTokenClassificationWriter: Sendable {
    public var scheme: BIOScheme

    public init(scheme: BIOScheme = .iob2) { self.scheme = scheme }

    /// `O`, then `B-T`, `I-T` for each type, sorted.
    public static func tagNames(types: some Sequence<String>) -> [String] {
        ["O"] + Set(types).sorted().flatMap { ["B-" + $0, "I-" + $0] }
    }

    /// - Parameter types: the task's types; the items' own types are added to them.
    /// - Throws: `SpanError` for a span not on token edges or overlapping another.
    public func texts(of items: [SpanItem], types: [String] = []) throws -> (rows: String, features: String) {
        let names = HFTokenClassificationWriter.tagNames(types: types + items.flatMap { $0.spans.map(\.type) })
        let idOf = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        var rows = ""
        for item in items {
            let tags = try item.bioTags(scheme: scheme)
            rows += "{\"id\":"
            JSONText.quote(item.id, into: &rows)
            rows += ",\"tokens\":["
            for (index, token) in item.tokens.enumerated() {
                if index > 0 { rows += "," }
                JSONText.quote(token.text, into: &rows)
            }
            rows += "],\"ner_tags\":[" + tags.map { String(idOf[$0]!) }.joined(separator: ",") + "]}\n"
        }
        var features = "{\"id\":{\"dtype\":\"string\",\"_type\":\"Value\"},"
        features += "\"tokens\":{\"feature\":{\"dtype\":\"string\",\"_type\":\"Value\"},\"_type\":\"Sequence\"},"
        features += "\"ner_tags\":{\"feature\":{\"names\":["
        features += names.map { JSONText.quote($0) }.joined(separator: ",")
        features += "],\"_type\":\"ClassLabel\"},\"_type\":\"Sequence\"}}\n"
        return (rows, features)
    }

    /// Writes the rows to `path` and the features to `featuresPath` (by default
    /// `<path without extension>.features.json`).
    public func write(_ items: [SpanItem], types: [String] = [], to path: String, featuresPath: String? = nil) throws {
        let (rows, features) = try texts(of: items, types: types)
        let featuresTarget = featuresPath ?? ((path as NSString).deletingPathExtension + ".features.json")
        try Data(rows.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        try Data(features.utf8).write(to: URL(fileURLWithPath: featuresTarget), options: .atomic)
    }
}
