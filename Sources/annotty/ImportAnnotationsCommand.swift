import ArgumentParser
import AnnottyCore
import AnnottyPostgres
import Foundation

struct ImportAnnotationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-annotations",
        abstract: "Import existing labels with an annotator column (one row per label).",
        discussion: """
        Items are found by their own id (the id column of the file they were imported from), so \
        import the items first. All-or-nothing unless --skip-invalid. Importing the same file again \
        adds nothing: a label already imported for the same item and annotator is counted once.

        Example (RTE crowd labels, Snow et al. 2008):
          annotty import rte1.tsv -p rte --fields hypothesis
          annotty import-annotations rte.standardized.tsv -p rte \\
              --item-column orig_id --annotator-column '!amt_worker_ids' \\
              --label-column response --gold-column gold \\
              --map 0=not_entailment,1=entailment

        Multi-label projects (task = "multi") read label sets in the formats `annotty export` \
        writes for them: jsonl ("labels" a list of names; "annotator" and "gold", the item's \
        true set, per line if there), csv (a "labels" cell joined by --separator; "annotator" \
        and "gold" columns if there), labelstudio \
        (each annotation not cancelled as its completed_by's set; several values) and hf (multi-hot "labels", the names \
        from --features, by default FILE.features.json beside FILE.jsonl; hf needs --format hf). \
        Items are found by "id"; the text is under the project's text_field. Sets without an \
        annotator are recorded as --annotator's. Items the file has without an answer (null \
        labels, a task without annotations) are left out; an empty set is recorded where \
        allow_empty_set is true. A label outside annotty.toml stops the import with its file \
        and line.
          annotty export -p emotions --format csv -o sets.csv
          annotty import-annotations sets.csv -p emotions-copy --annotator alice

        Entity-span projects (task = "spans") read span sets in the formats `annotty import` \
        reads (conll, labelstudio from .json, spacy from .jsonl) onto items already in the \
        project, found by the file's ids (a CoNLL sentence's FILE:LINE, data.id, id); the text \
        must be the item's. Each set is recorded as --annotator's (a Label Studio annotation as its \
        completed_by's where given). A type outside annotty.toml, \
        an unknown id or another text stops the import with the file and line (--skip-invalid \
        lists and skips them).
          annotty export -p ner --format labelstudio -o tasks.json
          annotty import-annotations alice.json -p ner --annotator alice
        """)

    @OptionGroup var project: ProjectOptions

    @Argument(help: "A CSV, TSV or JSONL file of labels.")
    var file: String

    @Option(help: "The column naming the item (its own id).")
    var itemColumn: String = "id"

    @Option(help: "The column naming the annotator.")
    var annotatorColumn: String = "annotator"

    @Option(help: "The column holding the label.")
    var labelColumn: String = "label"

    @Option(help: "A column with the item's true label, kept as its gold answer.")
    var goldColumn: String?

    @Option(help: "Rename values to label names, e.g. 0=negative,1=positive.")
    var map: String?

    @Option(help: "csv, tsv or jsonl; for multi-label projects jsonl, csv, labelstudio or hf (default: from the file name).")
    var format: String?

    @Flag(help: "Import the valid rows and list the invalid ones instead of stopping.")
    var skipInvalid = false

    @Option(help: ArgumentHelp("Multi-label: who gave the sets where the file does not say.", valueName: "name"))
    var annotator: String = "imported"

    @Option(help: ArgumentHelp("Multi-label csv: the character between the labels in the labels cell.", valueName: "char"))
    var separator: String = String(MultiLabelCSV.defaultSeparator)

    @Option(help: ArgumentHelp("Multi-label hf: the features file with the label names (default: FILE.features.json).",
                               valueName: "path"))
    var features: String?

    func validate() throws {
        for pair in commaList(map) where pair.split(separator: "=", maxSplits: 1).count != 2 {
            throw ValidationError("--map takes VALUE=LABEL pairs, got \(pair)")
        }
        if let format, ImportFormat(rawValue: format) == nil, MultiLabelFormat(rawValue: format) == nil,
           SpanFileFormat(rawValue: format) == nil {
            throw ValidationError("--format must be csv, tsv or jsonl (multi-label projects: jsonl, csv, labelstudio or hf)")
        }
        guard separator.count == 1, separator != "\"", separator != "\n", separator != "\r" else {
            throw ValidationError("--separator takes one character other than a quote or a line break, such as | or ;")
        }
        guard !annotator.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--annotator needs a name") }
    }

    func run() throws {
        let project = try project.open()
        try project.config.requireTask(.single, .multi, .spans, command: "import-annotations")
        if project.config.task == .multi { return try runMultiLabel(project) }
        if project.config.task == .spans { return try runSpans(project) }
        let multiOptions = [("--annotator", annotator != "imported"), ("--separator", separator != String(MultiLabelCSV.defaultSeparator)),
                            ("--features", features != nil)]
        if let given = multiOptions.first(where: \.1) {
            throw CommandFailure("\(given.0) is for multi-label projects' label sets; this project has one label per item: "
                                 + "name the annotator column with --annotator-column")
        }
        if let format, ImportFormat(rawValue: format) == nil || format == ImportFormat.labelStudio.rawValue {
            throw CommandFailure("--format must be csv, tsv or jsonl for a single-label project "
                                 + "(use `annotty import` for Label Studio tasks)")
        }
        if format == nil, ImportFormat.guess(fromPath: file) == nil {
            throw CommandFailure("cannot tell the format of \(file); pass --format csv, tsv or jsonl")
        }
        var labelMap: [String: String] = [:]
        for pair in commaList(map) {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            labelMap[parts[0]] = parts[1]
        }
        let importFormat = format.flatMap(ImportFormat.init(rawValue:)) ?? ImportFormat.guess(fromPath: file)!
        let store = try ProjectStore.open(project)
        let result = try AnnotationsImporter(store: store, labels: project.config.labels, labelMap: labelMap)
            .importFile(at: file, format: importFormat,
                        columns: .init(item: itemColumn, annotator: annotatorColumn, label: labelColumn, gold: goldColumn),
                        skipInvalid: skipInvalid)
        for skipped in result.skipped { printError("\(skipped) (skipped)") }
        var summary = "imported \(result.recorded) labels from \(file)"
        if result.alreadyImported > 0 {
            summary += "; \(result.alreadyImported) were already imported (same item, annotator and label) and were left as they were"
        }
        if !result.skipped.isEmpty { summary += "; \(result.skipped.count) rows skipped" }
        print(summary)
    }
}

extension ImportAnnotationsCommand {
    /// A multi-label project: label sets in one of the multi-label formats.
    func runMultiLabel(_ project: Project) throws {
        // The column options describe one label per row; sets come in their own formats, so a
        // column option here would be silently ignored: say so instead.
        let columnOptions = [("--item-column", itemColumn != "id"), ("--annotator-column", annotatorColumn != "annotator"),
                             ("--label-column", labelColumn != "label"), ("--gold-column", goldColumn != nil), ("--map", map != nil)]
        if let given = columnOptions.first(where: \.1) {
            throw CommandFailure("\(given.0) is for single-label files (one label per row); a multi-label project reads sets "
                                 + "with \"id\", the text and \"labels\" (and \"annotator\" and \"gold\" where given): see "
                                 + "`annotty import-annotations --help`")
        }
        let chosen: MultiLabelFormat
        if let format {
            guard let named = MultiLabelFormat(rawValue: format) else {
                throw CommandFailure("--format \(format) is not a multi-label format; choose "
                                     + MultiLabelFormat.allCases.map(\.rawValue).joined(separator: ", "))
            }
            chosen = named
        } else {
            switch ImportFormat.guess(fromPath: file) {
            case .jsonl?: chosen = .jsonl
            case .csv?: chosen = .csv
            case .labelStudio?: chosen = .labelStudio
            default:
                throw CommandFailure("cannot tell the format of \(file); pass --format "
                                     + MultiLabelFormat.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        let config = project.config
        let importer = MultiLabelAnnotationsImporter(store: try ProjectStore.open(project), labels: config.labels,
                                                     allowEmptySet: config.allowEmptySet, textField: config.textField)
        let result = try importer.importFile(at: file, options: .init(format: chosen, separator: separator.first!, featuresPath: features,
                                                                     annotator: annotator, skipInvalid: skipInvalid))
        for skipped in result.skipped { printError("\(skipped) (skipped)") }
        var summary = "imported \(result.recorded) label sets from \(file)"
        if result.alreadyImported > 0 {
            summary += "; \(result.alreadyImported) were already imported (same item, annotator and set) and were left as they were"
        }
        if result.withGold > 0 { summary += "; \(result.withGold) carried the item's gold set, kept as its gold answer" }
        if result.unanswered > 0 { summary += "; \(result.unanswered) items without an answer in the file were left out" }
        if !result.skipped.isEmpty { summary += "; \(result.skipped.count) records skipped" }
        print(summary)
    }
}

extension ImportAnnotationsCommand {
    /// A spans project: a span file's sets onto the project's items.
    func runSpans(_ project: Project) throws {
        let otherOptions = [("--item-column", itemColumn != "id"), ("--annotator-column", annotatorColumn != "annotator"),
                            ("--label-column", labelColumn != "label"), ("--gold-column", goldColumn != nil), ("--map", map != nil),
                            ("--separator", separator != String(MultiLabelCSV.defaultSeparator)), ("--features", features != nil)]
        if let given = otherOptions.first(where: \.1) {
            throw CommandFailure("\(given.0) does not apply to span files: their ids, texts and spans are read as "
                                 + "`annotty import` reads them, and --annotator names who gave the sets")
        }
        let chosen: SpanFileFormat
        switch format {
        case "jsonl"?, "spacy"?: chosen = .spacy
        case let named?:
            guard let spanFormat = SpanFileFormat(rawValue: named), SpanFileFormat.importable.contains(spanFormat) else {
                throw CommandFailure("--format \(named) holds no span sets to import; choose conll, labelstudio or spacy")
            }
            chosen = spanFormat
        case nil:
            guard let guessed = SpanFileFormat.guess(fromPath: file) else {
                throw CommandFailure("cannot tell the format of \(file); pass --format conll, labelstudio or spacy")
            }
            chosen = guessed
        }
        let result = try SpanAnnotationsImporter(store: try project.openStore(command: "import-annotations of entity spans"), types: project.config.labels.names)
            .importFile(at: file, format: chosen, annotator: annotator, textField: project.config.textField, skipInvalid: skipInvalid)
        for skipped in result.skipped { printError("\(skipped) (skipped)") }
        var summary = "imported \(result.counts.decisionsRecorded) span sets from \(file)"
        if result.counts.decisionsAlreadyThere > 0 {
            summary += "; \(result.counts.decisionsAlreadyThere) were already imported (same item, annotator and set)"
        }
        if result.unanswered > 0 { summary += "; \(result.unanswered) records without an answer were left out" }
        if !result.skipped.isEmpty { summary += "; \(result.skipped.count) records skipped" }
        print(summary)
    }
}
