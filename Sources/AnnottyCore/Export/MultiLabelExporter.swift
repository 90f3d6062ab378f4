import Foundation

/// Writes a multi-label project's items with their final sets in the multi-label formats
/// (`MultiLabelFormat`): JSONL lists, CSV with the labels in one cell, Label Studio choices with
/// several values, Hugging Face multi-hot. The final set comes from the same `FinalLabelRule` as
/// single-label exports (a decision's label is the encoded set, `MultiLabelAnswer`), and each
/// format is the one its reader in `MultiLabelFormats` takes back, so an export imports again.
public struct MultiLabelExporter {
    public let store: any AnnotationStore
    public let labels: LabelSet
    public var labelledOnly: Bool
    public var labelRule: FinalLabelRule
    /// The name the text is written under: the project's `text_field`.
    public var textField: String = "text"
    /// The CSV cell's separator between labels.
    public var separator: Character = MultiLabelCSV.defaultSeparator

    public init(store: any AnnotationStore, labels: LabelSet, labelledOnly: Bool = false, labelRule: FinalLabelRule = .auto) {
        self.store = store
        self.labels = labels
        self.labelledOnly = labelledOnly
        self.labelRule = labelRule
    }

    /// The export formats that have a multi-label form: all but prodigy, whose text-classification
    /// lines hold one label each.
    public static func format(_ format: ExportFormat) -> MultiLabelFormat? {
        MultiLabelFormat(rawValue: format.rawValue)
    }

    /// Writes every item (hf and `labelledOnly`: only those with a final set). An item without a
    /// final set is written as not answered: JSONL `"labels": null`, a Label Studio task without
    /// annotations, a CSV row with empty `labels` and `label_from` cells; the empty set is an answer
    /// and written as one (`[]`, a choices result with no choice, an empty `labels` cell with its
    /// `label_from`, all zeros).
    /// - Throws: `MultiLabelWriteError` before writing anything when a label cannot be written in
    ///   the CSV cell (it holds the separator) or an item's final label is not a set of the
    ///   project's labels.
    public func export(format: MultiLabelFormat, to output: BufferedOutput) throws -> ExportSummary {
        if format == .csv, let clash = labels.names.first(where: { $0.contains(separator) }) {
            throw MultiLabelWriteError(message: "label \"\(clash)\" contains the CSV separator \"\(separator)\": "
                                       + "choose another with --separator (one character no label holds)")
        }
        let single = singleExporter
        var written = 0
        var leftOutUnlabelled = 0
        var fieldNames: [String]?
        if format == .labelStudio { output.write("[") }
        try store.forEachExportRow { stored in
            let row = single.resolvedRow(stored)
            let set = try finalSet(row)
            if (labelledOnly || format == .huggingFace) && set == nil {
                leftOutUnlabelled += 1
                return
            }
            if fieldNames == nil {
                fieldNames = row.item.fields.map(\.name)
                if format == .csv { output.write(CSVText.row(csvHeader(fieldNames: fieldNames!))) }
            }
            switch format {
            case .jsonl: output.write(jsonLine(row, set: set, exporter: single) + "\n")
            case .csv: output.write(csvRow(row, set: set))
            case .labelStudio: output.write((written == 0 ? "\n" : ",\n") + labelStudioTask(row, set: set))
            case .huggingFace: output.write(huggingFaceLine(row, set: set!) + "\n")
            }
            written += 1
        }
        if format == .labelStudio { output.write("\n]\n") }
        if format == .csv && fieldNames == nil { output.write(CSVText.row(csvHeader(fieldNames: []))) }
        return ExportSummary(written: written, leftOutUnlabelled: leftOutUnlabelled, fieldNames: fieldNames ?? [])
    }

    /// The hf export's features file: the rows' columns with `labels` a 0/1 sequence and the label
    /// names in annotty.toml's order.
    public func huggingFaceFeatures(fieldNames: [String]) -> String {
        MultiLabelHuggingFace.writeFeatures(labelNames: labels.names, textField: textField,
                                            stringFields: fieldNames.filter { $0 != "id" && $0 != textField } + ["label_from"])
    }

    /// Python that loads the hf export with its features, runnable as is.
    public static func huggingFaceLoadingSnippet(dataPath: String) -> String {
        let featuresPath = Exporter.huggingFaceFeaturesPath(besides: dataPath)
        return "import json, datasets\n"
            + "spec = json.load(open(\(JSONText.quote(featuresPath))))\n"
            + "dataset = datasets.load_dataset(\"json\", data_files=\(JSONText.quote(dataPath)), "
            + "features=datasets.Features.from_dict(spec[\"features\"]), split=\"train\")\n"
            + "label_names = spec[\"label_names\"]  # what each position of dataset[i][\"labels\"] means\n"
    }

    /// The Label Studio labelling config the export assumes: `<Choices choice="multiple">`.
    public static func labelStudioConfig(labels: LabelSet, textField: String, displayFields: [String]) -> String {
        MultiLabelLabelStudio.labelingConfig(labelNames: labels.names, textField: textField, displayFields: displayFields)
    }

    private var singleExporter: Exporter {
        var exporter = Exporter(store: store, labels: labels, labelledOnly: labelledOnly, labelRule: labelRule)
        exporter.textField = textField
        return exporter
    }

    /// The row's final set; nil when it has none.
    func finalSet(_ row: ExportRow) throws -> MultiLabelAnswer? {
        guard let label = row.finalLabel else { return nil }
        guard let set = MultiLabelAnswer.decode(label, labels: labels) else {
            throw MultiLabelWriteError(message: "item \(row.item.externalId ?? String(row.item.id)): its final label \(JSONText.quote(label)) "
                                       + "is not a set of this project's labels (\(labels.names.joined(separator: ", "))); "
                                       + "was annotty.toml's label list changed? `annotty check` lists such decisions")
        }
        return set
    }

    private func itemId(_ row: ExportRow) -> String { row.item.externalId ?? String(row.item.id) }

    private func names(_ set: MultiLabelAnswer) -> String {
        "[" + set.names.map(JSONText.quote).joined(separator: ",") + "]"
    }

    /// `"text":…` and each display field, for the start of an object.
    private func textMembers(_ row: ExportRow) -> String {
        var out = JSONText.quote(textField) + ":" + JSONText.quote(row.item.text)
        for field in row.item.fields where field.name != "id" && field.name != textField {
            out += "," + JSONText.quote(field.name) + ":" + JSONText.quote(field.value)
        }
        return out
    }

    // MARK: JSONL

    /// `{"id", text, fields, "labels": [...] or null, "label_from", "annotty": {...}}`; the
    /// `annotty` object is the single-label export's (who decided, each decision with its set).
    func jsonLine(_ row: ExportRow, set: MultiLabelAnswer?, exporter: Exporter) -> String {
        "{\"id\":" + JSONText.quote(itemId(row)) + "," + textMembers(row)
            + ",\"labels\":" + (set.map(names) ?? "null")
            + ",\"label_from\":" + (row.labelFrom.map(JSONText.quote) ?? "null")
            + ",\"annotty\":" + exporter.annottyObject(row) + "}"
    }

    // MARK: CSV

    func csvHeader(fieldNames: [String]) -> [String] {
        ["id", textField] + fieldNames.filter { $0 != "id" && $0 != textField } + ["labels", "label_from", "decided_by", "annotators"]
    }

    func csvRow(_ row: ExportRow, set: MultiLabelAnswer?) -> String {
        let annotators = Array(Set(row.decisions.filter { $0.kind.isHuman || $0.kind == .imported }.map(\.annotator))).sorted()
        var values = [itemId(row), row.item.text]
        values += row.item.fields.filter { $0.name != "id" && $0.name != textField }.map(\.value)
        values += [set?.names.joined(separator: String(separator)) ?? "", set == nil ? "" : row.labelFrom ?? "",
                   row.finalKind?.rawValue ?? "", annotators.joined(separator: ";")]
        return CSVText.row(values)
    }

    // MARK: Label Studio

    /// One task: the final set as its one annotation (ground truth when a reviewer adjudicated
    /// it), none without a final set; the latest prediction's shown set with its confidence as
    /// the prediction; who labelled and every decision's set in `meta.annotty`.
    func labelStudioTask(_ row: ExportRow, set: MultiLabelAnswer?) -> String {
        let data = "{\"id\":" + JSONText.quote(itemId(row)) + "," + textMembers(row) + "}"
        var annotations: [String] = []
        if let set {
            let deciding = Exporter.decidingDecision(row)
            var annotation = "{\"result\":[" + choicesResult(set) + "]"
                + ",\"ground_truth\":" + (row.labelFrom == "adjudicated" ? "true" : "false") + ",\"was_cancelled\":false"
            if let deciding {
                annotation += ",\"created_at\":" + JSONText.quote(Exporter.timestamp(deciding.createdAt))
                    + ",\"lead_time\":" + JSONText.number(Double(deciding.timeSpentMs) / 1000)
            }
            annotations.append(annotation + "}")
        }
        let labelled = row.decisions.filter { $0.kind.carriesLabel }
        var meta = "{\"item_id\":\(row.item.id)"
        meta += ",\"label_from\":" + (row.labelFrom.map(JSONText.quote) ?? "null")
        meta += ",\"decisions\":[" + labelled.map { decision in
            "{\"annotator\":" + JSONText.quote(decision.annotator) + ",\"kind\":" + JSONText.quote(decision.kind.rawValue)
                + ",\"labels\":" + (decision.label.flatMap { MultiLabelAnswer.decode($0, labels: labels) }.map(names) ?? "null") + "}"
        }.joined(separator: ",") + "]}"
        var predictions: [String] = []
        if let prediction = row.latestPrediction, prediction.isValid, let shown = prediction.shownSet(over: labels) {
            let score = prediction.confidence ?? 0
            predictions.append("{\"model_version\":" + JSONText.quote(prediction.model) + ",\"score\":" + JSONText.number(score)
                               + ",\"result\":[" + choicesResult(shown) + "]}")
        }
        return "{\"data\":" + data + ",\"meta\":{\"annotty\":" + meta + "},\"annotations\":[" + annotations.joined(separator: ",")
            + "],\"predictions\":[" + predictions.joined(separator: ",") + "]}"
    }

    private func choicesResult(_ set: MultiLabelAnswer) -> String {
        "{\"from_name\":\"\(MultiLabelLabelStudio.controlName)\",\"to_name\":\"\(MultiLabelLabelStudio.textName)\","
            + "\"type\":\"choices\",\"value\":{\"choices\":" + names(set) + "}}"
    }

    // MARK: Hugging Face

    func huggingFaceLine(_ row: ExportRow, set: MultiLabelAnswer) -> String {
        "{\"id\":" + JSONText.quote(itemId(row)) + "," + textMembers(row)
            + ",\"labels\":[" + labels.names.map { set.names.contains($0) ? "1" : "0" }.joined(separator: ",") + "]"
            + ",\"label_from\":" + (row.labelFrom.map(JSONText.quote) ?? "null") + "}"
    }
}
