import ArgumentParser
import AnnottyCore

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

    @Option(help: "csv, tsv or jsonl (default: from the file name).")
    var format: String?

    @Flag(help: "Import the valid rows and list the invalid ones instead of stopping.")
    var skipInvalid = false

    func validate() throws {
        for pair in commaList(map) where pair.split(separator: "=", maxSplits: 1).count != 2 {
            throw ValidationError("--map takes VALUE=LABEL pairs, got \(pair)")
        }
        if let format, ImportFormat(rawValue: format) == nil {
            throw ValidationError("--format must be csv, tsv or jsonl")
        }
        if format == nil, ImportFormat.guess(fromPath: file) == nil {
            throw ValidationError("cannot tell the format of \(file); pass --format csv, tsv or jsonl")
        }
    }

    func run() throws {
        let project = try project.open()
        try project.config.requireTask(.single, command: "import-annotations")
        var labelMap: [String: String] = [:]
        for pair in commaList(map) {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            labelMap[parts[0]] = parts[1]
        }
        let importFormat = format.flatMap(ImportFormat.init(rawValue:)) ?? ImportFormat.guess(fromPath: file)!
        let store = try project.openStore()
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
