import ArgumentParser
import AnnottyCore
import AnnottyPostgres

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write items with their final labels, how and by whom they were decided.",
        discussion: """
        Formats: jsonl (every item as imported, plus an "annotty" object: final label, how it \
        was decided, annotators, confidence shown, decisions, the latest prediction, timestamps), \
        csv, labelstudio (task JSON with annotations and predictions with scores), hf (flat JSONL \
        of labelled items with label and label_id; unlabelled items are left out and counted).

        labelstudio is what Label Studio 1.x imports: annotations carry their created_at and \
        lead_time but no completed_by (Label Studio takes the importing user); who labelled, \
        each decision's kind and the LLM's probabilities are in each task's meta.annotty, which \
        annotty import reads back. Only adjudicated labels are marked ground truth. \
        `annotty export --format labelstudio --config` prints the labeling config to paste into \
        the Label Studio project.

        Multi-label projects (task = "multi") write each item's final set: jsonl with "labels" a \
        list of names (null for an item without a final set, [] for the empty set), csv with the \
        labels in one "labels" cell joined by --separator (default |; an item without a final \
        set has an empty label_from cell too), labelstudio with one choices result of several \
        values per task (--config prints the choice="multiple" config; no annotation without a \
        final set), hf with "labels" multi-hot (0/1 per label) and the label names in \
        FILE.features.json. The final set follows --label-from as single labels do. Each format \
        reads back with `annotty import-annotations --format ...`. prodigy is single-label only.

        Entity-span projects (task = "spans") write each item's final span set: conll (a token \
        and its tag per line, IOB2 or --scheme iob1, -DOCSTART- before each document of an \
        imported CoNLL file), labelstudio (a labels result per span with start, end in UTF-16 \
        units, text; --config prints the <Labels> config), spacy or jsonl (text, tokens, spans \
        with token_start and token_end) and hf (tokens and ner_tags ids, the tag names in \
        FILE.features.json). Tokens are those of the imported file (cut further where a span \
        edge falls inside one). Only items with a final span set are written; the others are \
        counted. An empty set is written as a sentence without entities.

        prodigy: Prodigy's JSONL for text classification: each labelled item with label, \
        options, accept and answer "accept", plus a line with answer "reject" for a pre-label a \
        person corrected.

        Every format writes the text under the project's text_field (premise stays premise).

        hf with -o FILE.jsonl also writes FILE.features.json, the datasets Features with label_id \
        as a ClassLabel of the labels in annotty.toml's order, and prints the Python that loads \
        both.

        The final label: by default (--label-from auto) a reviewer's adjudication, else the \
        label `annotty aggregate` stored (Dawid-Skene, then one-coin, then majority), else the \
        plurality of people's labels (ties to the label listed first in annotty.toml). Every \
        row says which in its label_from field (jsonl: annotty.label_from; csv and hf: a \
        label_from column).
        """)

    @OptionGroup var project: ProjectOptions

    @Option(help: "jsonl, csv, labelstudio, hf or prodigy; on a spans project conll, labelstudio, spacy (jsonl) or hf.")
    var format: String = "jsonl"

    @Option(help: ArgumentHelp("Spans projects, conll and hf: the tag scheme, iob2 or iob1.", valueName: "scheme"))
    var scheme: String = "iob2"

    @Option(name: [.short, .long], help: "The file to write, or - for standard output.")
    var output: String = "-"

    @Flag(help: "Only items that have a final label.")
    var labelledOnly = false

    @Flag(help: "With --format labelstudio: print the labeling config (XML) the export assumes, instead of exporting.")
    var config = false

    @Option(help: ArgumentHelp("Where the final label comes from: \(FinalLabelRule.names).", valueName: "rule"))
    var labelFrom: String = FinalLabelRule.auto.rawValue

    @Option(help: ArgumentHelp("Multi-label csv: the character between the labels in the labels cell.", valueName: "char"))
    var separator: String = String(MultiLabelCSV.defaultSeparator)

    func validate() throws {
        guard ExportFormat(rawValue: format) != nil || SpanFileFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of " + ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")
                                  + " (or, on a spans project, conll or spacy)")
        }
        guard BIOScheme(rawValue: scheme) != nil else {
            throw ValidationError("--scheme must be iob2 or iob1")
        }
        guard FinalLabelRule(rawValue: labelFrom) != nil else {
            throw ValidationError("--label-from must be one of \(FinalLabelRule.names)")
        }
        if config && format != ExportFormat.labelStudio.rawValue {
            throw ValidationError("--config prints Label Studio's labeling config: use it with --format labelstudio")
        }
        guard separator.count == 1, separator != "\"", separator != "\n", separator != "\r" else {
            throw ValidationError("--separator takes one character other than a quote or a line break, such as | or ;")
        }
    }

    func run() throws {
        let labelRule = FinalLabelRule(rawValue: labelFrom)!
        let project = try project.open()
        try project.config.requireTask(.single, .multi, .spans, command: "export")
        if project.config.task == .spans { return try runSpans(project, labelRule: labelRule) }
        if scheme != BIOScheme.iob2.rawValue {
            throw CommandFailure("--scheme sets the tags of a spans project's conll or hf export; this project has no spans")
        }
        guard let exportFormat = ExportFormat(rawValue: format) else {
            throw CommandFailure("--format \(format) writes entity spans; this project's task is \(project.config.task.rawValue): "
                                 + "use " + ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if project.config.task == .multi { return try runMultiLabel(project, format: exportFormat, labelRule: labelRule) }
        if separator != String(MultiLabelCSV.defaultSeparator) {
            throw CommandFailure("--separator joins the labels of a set in a multi-label csv; this project has one label per item")
        }
        if config {
            print(Exporter.labelStudioConfig(labels: project.config.labels, textField: project.config.textField,
                                             displayFields: project.config.displayFields),
                  terminator: "")
            return
        }
        let store = try ProjectStore.open(project, access: .readOnly)
        let out = try BufferedOutput(path: output)
        var exporter = Exporter(store: store, labels: project.config.labels, labelledOnly: labelledOnly, labelRule: labelRule)
        exporter.textField = project.config.textField
        let summary = try exporter.exportWithSummary(format: exportFormat, to: out)
        try out.close()
        var report = "wrote \(summary.written) items" + (output == "-" ? "" : " to \(output)")
        if summary.leftOutUnlabelled > 0 { report += "; left out \(summary.leftOutUnlabelled) items without a final label" }
        printError(report)
        if exportFormat == .huggingFace {
            guard output != "-" else {
                printError("the label names (label_id as a ClassLabel) are written beside the file with -o FILE.jsonl")
                return
            }
            let featuresPath = Exporter.huggingFaceFeaturesPath(besides: output)
            try exporter.huggingFaceFeatures(fieldNames: summary.fieldNames).write(toFile: featuresPath, atomically: true, encoding: .utf8)
            printError("wrote the features (label_id as a ClassLabel of \(project.config.labels.names.joined(separator: ", "))) "
                       + "to \(featuresPath); load both with:\n" + Exporter.huggingFaceLoadingSnippet(dataPath: output))
        }
    }
}

extension ExportCommand {
    /// A multi-label project: each item's final set in the format's multi-label form.
    func runMultiLabel(_ project: Project, format exportFormat: ExportFormat, labelRule: FinalLabelRule) throws {
        guard let multiFormat = MultiLabelExporter.format(exportFormat) else {
            throw CommandFailure("--format \(format) holds one label per item; a multi-label project exports as "
                                 + MultiLabelFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let config = project.config
        if self.config {
            print(MultiLabelExporter.labelStudioConfig(labels: config.labels, textField: config.textField,
                                                       displayFields: config.displayFields), terminator: "")
            return
        }
        let store = try ProjectStore.open(project, access: .readOnly)
        var exporter = MultiLabelExporter(store: store, labels: config.labels, labelledOnly: labelledOnly, labelRule: labelRule)
        exporter.textField = config.textField
        exporter.separator = separator.first!
        let out = try BufferedOutput(path: output)
        let summary = try exporter.export(format: multiFormat, to: out)
        try out.close()
        var report = "wrote \(summary.written) items" + (output == "-" ? "" : " to \(output)")
        if summary.leftOutUnlabelled > 0 { report += "; left out \(summary.leftOutUnlabelled) items without a final set" }
        printError(report)
        if multiFormat == .huggingFace {
            guard output != "-" else {
                printError("the label names (what each position of labels means) are written beside the file with -o FILE.jsonl")
                return
            }
            let featuresPath = Exporter.huggingFaceFeaturesPath(besides: output)
            try exporter.huggingFaceFeatures(fieldNames: summary.fieldNames).write(toFile: featuresPath, atomically: true, encoding: .utf8)
            printError("wrote the features (labels multi-hot over \(config.labels.names.joined(separator: ", "))) to \(featuresPath); "
                       + "load both with:\n" + MultiLabelExporter.huggingFaceLoadingSnippet(dataPath: output))
        }
    }
}

extension ExportCommand {
    /// A spans project: each item's final span set in a span format.
    func runSpans(_ project: Project, labelRule: FinalLabelRule) throws {
        let spanFormat: SpanFileFormat
        switch format {
        case "jsonl", "spacy": spanFormat = .spacy
        default:
            guard let named = SpanFileFormat(rawValue: format) else {
                throw CommandFailure("--format \(format) has no span form; a spans project exports as conll, labelstudio, spacy (jsonl) or hf")
            }
            spanFormat = named
        }
        if scheme != BIOScheme.iob2.rawValue && spanFormat != .conll && spanFormat != .huggingFace {
            throw CommandFailure("--scheme sets the tags of the conll and hf exports; \(spanFormat.rawValue) writes offsets, not tags")
        }
        if separator != String(MultiLabelCSV.defaultSeparator) || labelledOnly {
            throw CommandFailure("--separator and --labelled-only do not apply to a spans project (only items with a final span set are written)")
        }
        if config {
            print(SpanExporter.labelStudioConfig(labels: project.config.labels), terminator: "")
            return
        }
        let store = try ProjectStore.open(project, access: .readOnly)
        var exporter = SpanExporter(store: store, labels: project.config.labels, labelRule: labelRule)
        exporter.scheme = BIOScheme(rawValue: scheme)!
        if spanFormat == .huggingFace && output == "-" {
            throw CommandFailure("hf writes the tag names beside the rows: pass -o FILE.jsonl")
        }
        let out = try BufferedOutput(path: output)
        let (summary, features) = try exporter.export(format: spanFormat, to: out)
        try out.close()
        var report = "wrote \(summary.written) items" + (output == "-" ? "" : " to \(output)")
        if !summary.labelFrom.isEmpty {
            report += " (" + summary.labelFrom.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        }
        if summary.leftOutUnanswered > 0 { report += "; left out \(summary.leftOutUnanswered) items without a final span set" }
        printError(report)
        if let features {
            let featuresPath = Exporter.huggingFaceFeaturesPath(besides: output)
            try features.write(toFile: featuresPath, atomically: true, encoding: .utf8)
            printError("wrote the tag names (ner_tags as a Sequence of ClassLabel) to \(featuresPath)")
        }
    }
}
