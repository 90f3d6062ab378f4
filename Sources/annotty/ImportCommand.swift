import ArgumentParser
import AnnottyCore
import AnnottyPostgres
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import items from JSONL, CSV/TSV, plain text or Label Studio JSON.",
        discussion: """
        Items with the same text and fields as one already in the project are skipped and counted. \
        By default the import is all-or-nothing: the first bad line stops it with FILE:LINE and \
        what is wrong, and the project is left exactly as it was. --skip-invalid imports the \
        rest and lists each skipped line.

        Entity-span projects (task = "spans"): CoNLL (a token and its tag per line, IOB1 or \
        IOB2, -DOCSTART- lines, LF or CRLF; .conll, .iob, .bio, .train, .testa, .testb or \
        --format conll), Label Studio span JSON (.json: labels results with start, end, text) \
        and spaCy/Prodigy JSONL (.jsonl: text, spans, tokens). Each sentence, task or line is an \
        item; the span set the file gives it (a CoNLL sentence always, O tags meaning no \
        entities; each annotation of a Label Studio task, by its completed_by where given; a \
        JSONL line with "spans") is recorded as an imported decision by --annotator. Every \
        entity type must be one of the project's labels. --as-gold keeps each item's set as its gold answer instead (the items become \
        golden questions, scored by stats and aggregate). CSV, TSV and plain text import text only.

        Examples:
          annotty import reviews.jsonl -p reviews
          annotty import eng.testb -p ner --annotator conll2003
          annotty import eng.testa -p ner --text-only
          annotty import rte1.tsv -p rte --text-field text --fields hypothesis
        """)

    @OptionGroup var project: ProjectOptions

    @Argument(help: "The file to import.")
    var file: String

    @Option(help: "jsonl, csv, tsv, text or labelstudio; on a spans project also conll or spacy (default: from the file name).")
    var format: String?

    @Option(help: "Spans projects: who the file's span sets are recorded as.")
    var annotator: String = "imported"

    @Flag(help: "Spans projects: keep the file's span sets as the items' gold answers (golden questions) instead of decisions.")
    var asGold = false

    @Flag(help: "Spans projects: import the file's texts as items to annotate and leave its spans out.")
    var textOnly = false

    @Option(help: "The field/column holding the text (default: text_field from annotty.toml).")
    var textField: String?

    @Option(help: "Extra fields shown under the text, comma-separated (default: display_fields from annotty.toml).")
    var fields: String?

    @Option(help: "The field/column holding each row's own id.")
    var idField: String = "id"

    @Option(help: "A field/column with a known answer: such rows become golden questions.")
    var goldField: String?

    @Flag(help: "Import the valid rows and list the invalid ones instead of stopping.")
    var skipInvalid = false

    @Flag(help: "Import rows that repeat an earlier row's id as separate items (with a warning) instead of stopping.")
    var allowDuplicateIds = false

    func validate() throws {
        if let format, ImportFormat(rawValue: format) == nil, SpanFileFormat(rawValue: format) == nil {
            throw ValidationError("--format must be one of " + ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")
                                  + " (or, on a spans project, conll or spacy)")
        }
        if format == nil, ImportFormat.guess(fromPath: file) == nil, SpanFileFormat.guess(fromPath: file) == nil {
            throw ValidationError("cannot tell the format of \(file) from its name; pass --format")
        }
    }

    func run() throws {
        let project = try project.open()
        let config = project.config
        guard FileManager.default.fileExists(atPath: file) else {
            throw InputError(file: file, message: "no such file")
        }
        if let spanFormat = try spanFormat(task: config.task) {
            return try runSpans(project, format: spanFormat)
        }
        if asGold || textOnly || annotator != "imported" {
            throw CommandFailure("--as-gold, --text-only and --annotator are for span files (conll, labelstudio, spacy) on a spans project; "
                                 + "this import reads text only: use --gold-field for known answers")
        }
        guard let importFormat = format.flatMap(ImportFormat.init(rawValue:)) ?? ImportFormat.guess(fromPath: file) else {
            throw CommandFailure("\(format ?? file) holds entity spans: import it into a spans project (annotty init --task spans), "
                                 + "or pass --format jsonl, csv, tsv, text or labelstudio")
        }
        var options = ImportOptions(format: importFormat, textField: textField ?? config.textField,
                                    displayFields: fields.map(commaList) ?? config.displayFields, idField: idField,
                                    goldField: goldField, skipInvalid: skipInvalid)
        options.allowDuplicateIds = allowDuplicateIds
        options.labels = config.labels.names
        if let textField, textField != config.textField {
            printError("warning: annotty.toml has text_field = \"\(config.textField)\", so export writes this text as "
                       + "\"\(config.textField)\"; set text_field = \"\(textField)\" there to keep the name")
        }
        let store = try ProjectStore.open(project)
        let report = try Importer(store: store).importFile(at: file, options: options)
        for warning in report.warnings { printError("\(warning.file):\(warning.line.map(String.init) ?? "-"): warning: \(warning.message)") }
        for skipped in report.summary.skipped { printError("\(skipped) (skipped)") }
        var line = "imported \(report.summary.inserted) items from \(file)"
        if report.summary.duplicates > 0 { line += "; \(report.summary.duplicates) duplicates skipped" }
        if !report.summary.skipped.isEmpty { line += "; \(report.summary.skipped.count) invalid lines skipped" }
        print(line)
    }
}

extension ImportCommand {
    /// The span format to read on a spans project (nil: an ordinary text import); a span format on
    /// another project is refused.
    func spanFormat(task: TaskKind) throws -> SpanFileFormat? {
        let named = format.flatMap(SpanFileFormat.init(rawValue:))
        guard task == .spans else { return nil }
        if let named {
            guard SpanFileFormat.importable.contains(named) else {
                throw CommandFailure("--format \(named.rawValue) is an export format; import conll, labelstudio or spacy (jsonl)")
            }
            return named
        }
        switch format.flatMap(ImportFormat.init(rawValue:)) ?? (format == nil ? ImportFormat.guess(fromPath: file) : nil) {
        case .jsonl: return .spacy
        case .labelStudio: return .labelStudio
        case .csv, .tsv, .text: return nil
        case nil: return SpanFileFormat.guess(fromPath: file)
        }
    }

    func runSpans(_ project: Project, format spanFormat: SpanFileFormat) throws {
        if goldField != nil || fields != nil || allowDuplicateIds || skipInvalid || idField != "id" {
            throw CommandFailure("--gold-field, --fields, --id-field, --allow-duplicate-ids and --skip-invalid do not apply to "
                                 + "a span file: its spans are imported as \(annotator)'s decisions (--annotator), its ids "
                                 + "are the file's own, and a bad record stops the import with its line")
        }
        if asGold && textOnly {
            throw CommandFailure("--as-gold keeps the file's spans as gold answers and --text-only leaves them out: give one of them")
        }
        guard !annotator.isEmpty, !annotator.contains(where: \.isNewline) else {
            throw CommandFailure("--annotator needs a name on one line")
        }
        let store = try project.openStore(command: "import of entity spans")
        let report = try SpanProjectImporter(store: store, types: project.config.labels.names)
            .importFile(at: file, format: spanFormat, annotator: annotator, textField: textField ?? project.config.textField,
                        asGold: asGold, textOnly: textOnly)
        if asGold {
            var line = "imported \(report.counts.inserted) items from \(file) (\(spanFormat.rawValue))"
            if report.counts.duplicates > 0 { line += "; \(report.counts.duplicates) already in the project (their gold left as it was)" }
            line += "; \(report.setsByAnnotator["gold"] ?? 0) span sets kept as gold answers (\(report.spans) spans): "
                + "these items are golden questions"
            print(line)
            return
        }
        var line = "imported \(report.counts.inserted) items from \(file) (\(spanFormat.rawValue))"
        if report.counts.duplicates > 0 { line += "; \(report.counts.duplicates) already in the project" }
        if report.setsByAnnotator.count > 1 {
            line += "; \(report.counts.decisionsRecorded) span sets recorded, by annotator in the file: "
                + report.setsByAnnotator.sorted { $0.key < $1.key }.map { "\(TerminalSafeText.sanitize($0.key)) \($0.value)" }
                    .joined(separator: ", ")
                + " (\(report.spans) spans)"
        } else {
            let name = report.setsByAnnotator.keys.first.map { TerminalSafeText.sanitize($0) } ?? annotator
            if !textOnly {
                line += "; \(report.counts.decisionsRecorded) span sets recorded as decisions of annotator \(name) "
                    + "(\(report.spans) spans in the file)"
            }
        }
        if report.counts.decisionsAlreadyThere > 0 { line += "; \(report.counts.decisionsAlreadyThere) sets already recorded" }
        if report.unanswered > 0 {
            line += textOnly ? "; the file's spans left out (--text-only)"
                : "; \(report.unanswered) items without an answer in the file, to annotate"
        }
        print(line)
    }
}
