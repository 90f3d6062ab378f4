import ArgumentParser
import AnnottyCore
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

        Examples:
          annotty import reviews.jsonl -p reviews
          annotty import rte1.tsv -p rte --text-field text --fields hypothesis
        """)

    @OptionGroup var project: ProjectOptions

    @Argument(help: "The file to import.")
    var file: String

    @Option(help: "jsonl, csv, tsv, text or labelstudio (default: from the file name).")
    var format: String?

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
        if let format, ImportFormat(rawValue: format) == nil {
            throw ValidationError("--format must be one of " + ImportFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if format == nil, ImportFormat.guess(fromPath: file) == nil {
            throw ValidationError("cannot tell the format of \(file) from its name; pass --format")
        }
    }

    func run() throws {
        let project = try project.open()
        let config = project.config
        guard FileManager.default.fileExists(atPath: file) else {
            throw InputError(file: file, message: "no such file")
        }
        // Checked in validate().
        let importFormat = format.flatMap(ImportFormat.init(rawValue:)) ?? ImportFormat.guess(fromPath: file)!
        var options = ImportOptions(format: importFormat, textField: textField ?? config.textField,
                                    displayFields: fields.map(commaList) ?? config.displayFields, idField: idField,
                                    goldField: goldField, skipInvalid: skipInvalid)
        options.allowDuplicateIds = allowDuplicateIds
        options.labels = config.labels.names
        if let textField, textField != config.textField {
            printError("warning: annotty.toml has text_field = \"\(config.textField)\", so export writes this text as "
                       + "\"\(config.textField)\"; set text_field = \"\(textField)\" there to keep the name")
        }
        let store = try project.openStore()
        let report = try Importer(store: store).importFile(at: file, options: options)
        for warning in report.warnings { printError("\(warning.file):\(warning.line.map(String.init) ?? "-"): warning: \(warning.message)") }
        for skipped in report.summary.skipped { printError("\(skipped) (skipped)") }
        var line = "imported \(report.summary.inserted) items from \(file)"
        if report.summary.duplicates > 0 { line += "; \(report.summary.duplicates) duplicates skipped" }
        if !report.summary.skipped.isEmpty { line += "; \(report.summary.skipped.count) invalid lines skipped" }
        print(line)
    }
}
