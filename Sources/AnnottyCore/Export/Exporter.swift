import Foundation

/// Writes a project's items and decisions in one of the export formats.
public struct Exporter {
    public let store: any AnnotationStore
    public let labels: LabelSet
    /// Only items with a final label.
    public var labelledOnly: Bool
    /// Where each item's final label comes from; written into every row as `label_from`.
    public var labelRule: FinalLabelRule
    /// The name the text is written under: the project's `text_field` (`premise` stays `premise`).
    public var textField: String = "text"

    public init(store: any AnnotationStore, labels: LabelSet, labelledOnly: Bool = false, labelRule: FinalLabelRule = .auto) {
        self.store = store
        self.labels = labels
        self.labelledOnly = labelledOnly
        self.labelRule = labelRule
    }

    /// Returns the number of items written.
    @discardableResult
    public func export(format: ExportFormat, to output: BufferedOutput) throws -> Int {
        try exportWithSummary(format: format, to: output).written
    }

    /// Writes the export and says what it left out and which display fields its rows carry.
    public func exportWithSummary(format: ExportFormat, to output: BufferedOutput) throws -> ExportSummary {
        var written = 0
        var leftOutUnlabelled = 0
        var fieldNames: [String]?
        if format == .labelStudio { output.write("[") }
        try store.forEachExportRow { stored in
            let row = resolvedRow(stored)
            let skipUnlabelled = labelledOnly || format == .huggingFace || format == .prodigy
            if skipUnlabelled && row.finalLabel == nil {
                leftOutUnlabelled += 1
                return
            }
            if fieldNames == nil, format != .csv { fieldNames = row.item.fields.map(\.name) }
            switch format {
            case .jsonl: output.write(jsonLine(row) + "\n")
            case .huggingFace: output.write(huggingFaceLine(row) + "\n")
            case .prodigy: output.write(prodigyLines(row))
            case .labelStudio: output.write((written == 0 ? "\n" : ",\n") + labelStudioTask(row))
            case .csv:
                if fieldNames == nil {
                    fieldNames = row.item.fields.map(\.name)
                    output.write(CSVText.row(["id", textField] + fieldNames! + [
                        "label", "label_from", "decided_by", "annotators", "confidence_shown", "model", "model_label",
                        "model_confidence", "decided_at", "metadata",
                    ]))
                }
                output.write(csvRow(row))
            }
            written += 1
        }
        if format == .labelStudio { output.write("\n]\n") }
        if format == .csv && fieldNames == nil {
            output.write(CSVText.row(["id", textField, "label", "label_from", "decided_by", "annotators", "confidence_shown", "model",
                                      "model_label", "model_confidence", "decided_at", "metadata"]))
        }
        return ExportSummary(written: written, leftOutUnlabelled: leftOutUnlabelled, fieldNames: fieldNames ?? [])
    }

    /// Where the hf export's features go: beside the data file, `out.jsonl` -> `out.features.json`.
    public static func huggingFaceFeaturesPath(besides dataPath: String) -> String {
        (dataPath.hasSuffix(".jsonl") ? String(dataPath.dropLast(6)) : dataPath) + ".features.json"
    }

    /// Python that loads the hf export with its features, runnable as is.
    public static func huggingFaceLoadingSnippet(dataPath: String) -> String {
        let featuresPath = huggingFaceFeaturesPath(besides: dataPath)
        return "import json, datasets\n"
            + "features = datasets.Features.from_dict(json.load(open(\(JSONText.quote(featuresPath)))))\n"
            + "dataset = datasets.load_dataset(\"json\", data_files=\(JSONText.quote(dataPath)), features=features, split=\"train\")\n"
    }

    /// The `datasets.Features` of the hf export, as `Features.to_dict()` writes them, so that
    /// `Features.from_dict(json.load(...))` gives `label_id` as a `ClassLabel` with the names in
    /// annotty.toml's order (the order of `label_id`).
    public func huggingFaceFeatures(fieldNames: [String]) -> String {
        func value(_ dtype: String) -> String { "{\"dtype\":\"\(dtype)\",\"_type\":\"Value\"}" }
        var members: [(String, String)] = [("id", value("string")), (textField, value("string"))]
        members += fieldNames.map { ($0, value("string")) }
        members.append(("label", value("string")))
        members.append(("label_id", "{\"names\":[" + labels.names.map(JSONText.quote).joined(separator: ",") + "],\"_type\":\"ClassLabel\"}"))
        members.append(("label_from", value("string")))
        return "{" + members.map { JSONText.quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}\n"
    }

    /// `stored` with the final label the rule picks, and the rule's name in `labelFrom`.
    func resolvedRow(_ stored: ExportRow) -> ExportRow {
        var row = stored
        let (label, from) = labelRule.resolve(stored)
        row.finalLabel = label
        row.labelFrom = from
        return row
    }

    /// The decision that set the final label (the latest effective one carrying it).
    static func decidingDecision(_ row: ExportRow) -> Decision? {
        row.decisions.last { $0.kind.carriesLabel && $0.label == row.finalLabel }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    // MARK: JSONL

    func jsonLine(_ row: ExportRow) -> String {
        var out = "{"
        var first = true
        func key(_ name: String) {
            if !first { out.append(",") }
            first = false
            JSONText.quote(name, into: &out)
            out.append(":")
        }
        if let id = row.item.externalId { key("id"); JSONText.quote(id, into: &out) }
        key(textField); JSONText.quote(row.item.text, into: &out)
        for field in row.item.fields { key(field.name); JSONText.quote(field.value, into: &out) }
        if let metadata = row.item.metadataJSON, metadata.count > 2 {
            out.append(first ? "" : ",")
            out.append(contentsOf: metadata.dropFirst().dropLast())
            first = false
        }
        key("annotty")
        out.append(annottyObject(row))
        out.append("}")
        return out
    }

    func annottyObject(_ row: ExportRow) -> String {
        let deciding = Exporter.decidingDecision(row)
        var object = "{\"item_id\":\(row.item.id)"
        object += ",\"label\":" + (row.finalLabel.map(JSONText.quote) ?? "null")
        object += ",\"label_from\":" + (row.labelFrom.map(JSONText.quote) ?? "null")
        object += ",\"decided_by\":" + (row.finalKind.map { JSONText.quote($0.rawValue) } ?? "null")
        let annotators = Array(Set(row.decisions.filter { $0.kind.isHuman || $0.kind == .imported }.map(\.annotator))).sorted()
        object += ",\"annotators\":[" + annotators.map(JSONText.quote).joined(separator: ",") + "]"
        object += ",\"confidence_shown\":" + (deciding?.shownConfidence.map(JSONText.number) ?? "null")
        object += ",\"decided_at\":" + (deciding.map { JSONText.quote(Exporter.timestamp($0.createdAt)) } ?? "null")
        if row.item.isGolden, let gold = row.item.goldLabel { object += ",\"gold\":" + JSONText.quote(gold) }
        object += ",\"decisions\":[" + row.decisions.map(decisionObject).joined(separator: ",") + "]"
        if let prediction = row.latestPrediction {
            object += ",\"prediction\":{\"model\":" + JSONText.quote(prediction.model)
            object += ",\"source\":" + JSONText.quote(prediction.source.rawValue)
            object += ",\"label\":" + (prediction.label.map(JSONText.quote) ?? "null")
            object += ",\"confidence\":" + (prediction.confidence.map(JSONText.number) ?? "null")
            object += ",\"probabilities\":" + JSONText.encode(prediction.probabilities)
            object += ",\"valid\":" + (prediction.isValid ? "true" : "false") + "}"
        }
        if !row.aggregates.isEmpty {
            object += ",\"aggregates\":{" + row.aggregates.keys.sorted().map { method in
                let aggregate = row.aggregates[method]!
                return JSONText.quote(method) + ":{\"label\":" + (aggregate.label.map(JSONText.quote) ?? "null")
                    + ",\"posteriors\":" + JSONText.encode(aggregate.posteriors) + "}"
            }.joined(separator: ",") + "}"
        }
        object += ",\"imported_at\":" + JSONText.quote(Exporter.timestamp(row.item.createdAt)) + "}"
        return object
    }

    func decisionObject(_ decision: Decision) -> String {
        var object = "{\"annotator\":" + JSONText.quote(decision.annotator)
        object += ",\"kind\":" + JSONText.quote(decision.kind.rawValue)
        object += ",\"label\":" + (decision.label.map(JSONText.quote) ?? "null")
        object += ",\"shown_label\":" + (decision.shownLabel.map(JSONText.quote) ?? "null")
        object += ",\"shown_confidence\":" + (decision.shownConfidence.map(JSONText.number) ?? "null")
        object += ",\"time_spent_ms\":\(decision.timeSpentMs)"
        if let note = decision.note { object += ",\"note\":" + JSONText.quote(note) }
        object += ",\"at\":" + JSONText.quote(Exporter.timestamp(decision.createdAt)) + "}"
        return object
    }

    // MARK: Hugging Face

    func huggingFaceLine(_ row: ExportRow) -> String {
        var out = "{\"id\":" + JSONText.quote(row.item.externalId ?? String(row.item.id))
        out += "," + JSONText.quote(textField) + ":" + JSONText.quote(row.item.text)
        for field in row.item.fields { out += "," + JSONText.quote(field.name) + ":" + JSONText.quote(field.value) }
        out += ",\"label\":" + (row.finalLabel.map(JSONText.quote) ?? "null")
        out += ",\"label_id\":\(row.finalLabel.flatMap(labels.index(of:)) ?? -1)"
        out += ",\"label_from\":" + (row.labelFrom.map(JSONText.quote) ?? "null") + "}"
        return out
    }

    // MARK: Prodigy

    func prodigyLines(_ row: ExportRow) -> String {
        guard let label = row.finalLabel else { return "" }
        func line(label: String, answer: String) -> String {
            var out = "{" + JSONText.quote(textField) + ":" + JSONText.quote(row.item.text)
            for field in row.item.fields { out += "," + JSONText.quote(field.name) + ":" + JSONText.quote(field.value) }
            out += ",\"label\":" + JSONText.quote(label)
            out += ",\"options\":[" + labels.names.map { "{\"id\":" + JSONText.quote($0) + ",\"text\":" + JSONText.quote($0) + "}" }
                .joined(separator: ",") + "]"
            out += ",\"accept\":" + (answer == "accept" ? "[" + JSONText.quote(label) + "]" : "[]")
            out += ",\"answer\":" + JSONText.quote(answer)
            out += ",\"meta\":{\"id\":" + JSONText.quote(row.item.externalId ?? String(row.item.id))
                + ",\"label_from\":" + (row.labelFrom.map(JSONText.quote) ?? "null") + "}}\n"
            return out
        }
        var out = line(label: label, answer: "accept")
        let rejected = Set(row.decisions.filter { $0.kind == .correct && $0.shownLabel != nil && $0.shownLabel != $0.label }
            .compactMap(\.shownLabel)).subtracting([label])
        for shown in rejected.sorted() { out += line(label: shown, answer: "reject") }
        return out
    }

    // MARK: Label Studio

    /// A task Label Studio 1.x imports: no task id (reserved there), annotations without
    /// `completed_by` (it must be a user id of that Label Studio; the importing user is taken),
    /// ground truth only for a reviewer's adjudication, `created_at` and `lead_time` kept. Who
    /// labelled, each decision's kind and the prediction's full probabilities go in the task's
    /// `meta.annotty`, which Label Studio keeps and `annotty import` reads back.
    func labelStudioTask(_ row: ExportRow) -> String {
        var data = "{"
        if let id = row.item.externalId { data += "\"id\":" + JSONText.quote(id) + "," }
        data += JSONText.quote(textField) + ":" + JSONText.quote(row.item.text)
        for field in row.item.fields { data += "," + JSONText.quote(field.name) + ":" + JSONText.quote(field.value) }
        if let metadata = row.item.metadataJSON, metadata.count > 2 { data += "," + metadata.dropFirst().dropLast() }
        data += "}"
        let labelled = row.decisions.filter { [.accept, .correct, .audit, .adjudicate, .imported].contains($0.kind) }
        let annotations = labelled.map { decision -> String in
            "{\"result\":[" + Exporter.choiceResult(decision.label ?? "") + "]"
                + ",\"ground_truth\":" + (decision.kind == .adjudicate ? "true" : "false")
                + ",\"was_cancelled\":false"
                + ",\"created_at\":" + JSONText.quote(Exporter.timestamp(decision.createdAt))
                + ",\"lead_time\":" + JSONText.number(Double(decision.timeSpentMs) / 1000) + "}"
        }
        var meta = "{\"item_id\":\(row.item.id)"
        meta += ",\"annotators\":[" + labelled.map { JSONText.quote($0.annotator) }.joined(separator: ",") + "]"
        meta += ",\"decision_kinds\":[" + labelled.map { JSONText.quote($0.kind.rawValue) }.joined(separator: ",") + "]"
        meta += ",\"label\":" + (row.finalLabel.map(JSONText.quote) ?? "null")
        meta += ",\"label_from\":" + (row.labelFrom.map(JSONText.quote) ?? "null")
        var predictions: [String] = []
        if let prediction = row.latestPrediction, prediction.isValid, let label = prediction.label {
            let score = prediction.confidence ?? 0
            predictions.append("{\"model_version\":" + JSONText.quote(prediction.model) + ",\"score\":" + JSONText.number(score)
                               + ",\"result\":[" + Exporter.choiceResult(label, score: score) + "]}")
            meta += ",\"prediction\":{\"model\":" + JSONText.quote(prediction.model) + ",\"label\":" + JSONText.quote(label)
                + ",\"probabilities\":" + JSONText.encode(prediction.probabilities) + "}"
        }
        meta += "}"
        return "{\"data\":" + data + ",\"meta\":{\"annotty\":" + meta + "},\"annotations\":[" + annotations.joined(separator: ",")
            + "],\"predictions\":[" + predictions.joined(separator: ",") + "]}"
    }

    /// The labeling config the Label Studio export assumes: the text (and display fields) with
    /// one single-choice `Choices` named "label" over the project's labels.
    public static func labelStudioConfig(labels: LabelSet, textField: String = "text", displayFields: [String]) -> String {
        func attribute(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
                .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var xml = "<View>\n  <Text name=\"text\" value=\"$\(attribute(textField))\"/>\n"
        for field in displayFields {
            xml += "  <Header value=\"\(attribute(field))\"/>\n"
            xml += "  <Text name=\"field_\(attribute(field))\" value=\"$\(attribute(field))\"/>\n"
        }
        xml += "  <Choices name=\"label\" toName=\"text\" choice=\"single\" showInLine=\"true\">\n"
        for name in labels.names { xml += "    <Choice value=\"\(attribute(name))\"/>\n" }
        return xml + "  </Choices>\n</View>\n"
    }

    static func choiceResult(_ label: String, score: Double? = nil) -> String {
        var result = "{\"from_name\":\"label\",\"to_name\":\"text\",\"type\":\"choices\",\"value\":{\"choices\":["
            + JSONText.quote(label) + "]}"
        if let score { result += ",\"score\":" + JSONText.number(score) }
        return result + "}"
    }

    // MARK: CSV

    func csvRow(_ row: ExportRow) -> String {
        let deciding = Exporter.decidingDecision(row)
        let annotators = Array(Set(row.decisions.filter { $0.kind.isHuman || $0.kind == .imported }.map(\.annotator))).sorted()
        let prediction = row.latestPrediction
        let shownConfidence: String = deciding?.shownConfidence.map { DecimalFormat.fixed($0, places: 4) } ?? ""
        let modelConfidence: String = prediction?.confidence.map { DecimalFormat.fixed($0, places: 4) } ?? ""
        let decidedAt: String = deciding.map { Exporter.timestamp($0.createdAt) } ?? ""
        var values: [String] = [row.item.externalId ?? "", row.item.text]
        values += row.item.fields.map(\.value)
        values += [row.finalLabel ?? "", row.labelFrom ?? "", row.finalKind?.rawValue ?? "", annotators.joined(separator: ";"), shownConfidence]
        values += [prediction?.model ?? "", prediction?.label ?? "", modelConfidence, decidedAt, row.item.metadataJSON ?? ""]
        return CSVText.row(values)
    }
}

/// RFC 4180 quoting for CSV output.
public enum CSVText {
    public static func row(_ values: [String]) -> String {
        values.map(quote).joined(separator: ",") + "\r\n"
    }

    static func quote(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
