import Foundation

/// Writes a `spans` project's items with their final span sets: CoNLL, Label Studio spans, spaCy
/// JSONL or Hugging Face token classification. The final set comes from the same `FinalLabelRule`
/// as other exports (an adjudication, else a stored aggregate, else the plurality of people's sets,
/// compared as whole sets: a span decision's label is its set, `SpanAnnotation.label(for:)`).
///
/// Only items with a final span set are written (an item whose final set is empty is, with no
/// entities); the rest are counted, because every one of these formats reads an item without
/// spans as "no entities here", which an item nobody answered is not.
public struct SpanExporter {
    public let store: any AnnotationStore
    public let labels: LabelSet
    public var labelRule: FinalLabelRule
    public var scheme: BIOScheme = .iob2

    public init(store: any AnnotationStore, labels: LabelSet, labelRule: FinalLabelRule = .auto) {
        self.store = store
        self.labels = labels
        self.labelRule = labelRule
    }

    public struct Summary: Sendable, Equatable {
        public var written: Int
        public var leftOutUnanswered: Int
        /// How many written items took their set from each rule ("plurality", "adjudicated", ...).
        public var labelFrom: [String: Int]
    }

    /// Every item with a final span set, in import order, its tokens as stored on import.
    /// - Throws: `SpanExportError` for a final label that is not a span set over the item's text.
    public func finalItems() throws -> (items: [SpanItem], summary: Summary) {
        let exporter = Exporter(store: store, labels: labels, labelRule: labelRule)
        var items: [SpanItem] = []
        var summary = Summary(written: 0, leftOutUnanswered: 0, labelFrom: [:])
        try store.forEachExportRow { stored in
            let row = exporter.resolvedRow(stored)
            let id = row.item.externalId ?? String(row.item.id)
            guard let label = row.finalLabel else {
                summary.leftOutUnanswered += 1
                return
            }
            guard let spans = SpanItemMetadata.spans(inLabel: label, text: row.item.text) else {
                throw SpanExportError(message: "item \(TerminalSafeText.sanitize(id)): its final label \(JSONText.quote(TerminalSafeText.sanitize(label))) "
                                      + "is not a span set over its text; `annotty check` lists such decisions")
            }
            items.append(SpanItemMetadata.spanItem(id: id, text: row.item.text, metadataJSON: row.item.metadataJSON, spans: spans))
            summary.labelFrom[row.labelFrom ?? "plurality", default: 0] += 1
        }
        summary.written = items.count
        return (items, summary)
    }

    /// Writes the format's text to `output`; for hf also returns the features file's text.
    /// - Throws: `SpanError` (before writing) where a token format cannot hold a span: overlapping spans.
    public func export(format: SpanFileFormat, to output: BufferedOutput) throws -> (summary: Summary, features: String?) {
        let (items, summary) = try finalItems()
        do {
            return try write(items, summary: summary, format: format, to: output)
        } catch let error as SpanError {
            throw SpanExportError(message: "\(error); nothing was written. Export as labelstudio or spacy, which hold "
                                  + "overlapping spans, or adjudicate the item to one set without overlaps")
        }
    }

    private func write(_ items: [SpanItem], summary: Summary, format: SpanFileFormat,
                       to output: BufferedOutput) throws -> (summary: Summary, features: String?) {
        switch format {
        case .conll:
            output.write(try CoNLLWriter(scheme: scheme).text(of: items))
            return (summary, nil)
        case .labelStudio:
            output.write(LabelStudioSpanWriter().text(of: items))
            return (summary, nil)
        case .spacy:
            output.write(SpacySpanWriter().text(of: items))
            return (summary, nil)
        case .huggingFace:
            let (rows, features) = try HFTokenClassificationWriter(scheme: scheme).texts(of: items, types: labels.names)
            output.write(rows)
            return (summary, features)
        }
    }

    /// Label Studio's labeling config for span tasks: `<Labels>` of the project's types over the text.
    public static func labelStudioConfig(labels: LabelSet) -> String {
        func attribute(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
                .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var out = "<View>\n  <Labels name=\"label\" toName=\"text\">\n"
        for name in labels.names {
            out += "    <Label value=\"\(attribute(name))\"/>\n"
        }
        out += "  </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n</View>\n"
        return out
    }
}

/// A final label an export cannot write as spans.
public struct SpanExportError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
