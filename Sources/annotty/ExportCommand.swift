import ArgumentParser
import AnnottyCore

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

    @Option(help: "jsonl, csv, labelstudio, hf or prodigy.")
    var format: String = "jsonl"

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
        guard ExportFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of " + ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))
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
        let exportFormat = ExportFormat(rawValue: format)!
        let labelRule = FinalLabelRule(rawValue: labelFrom)!
        let project = try project.open()
        try project.config.requireTask(.single, .multi, command: "export")
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
        let store = try project.openStore(access: .readOnly)
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
        let store = try project.openStore(access: .readOnly)
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
