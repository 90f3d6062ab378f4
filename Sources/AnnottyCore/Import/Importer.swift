/// Runs an import of one file into a store: all-or-nothing by default, in one transaction.
public struct Importer {
    public let store: any AnnotationStore

    public init(store: any AnnotationStore) {
        self.store = store
    }

    public func importFile(at path: String, options: ImportOptions) throws -> ImportReport {
        var warnings: [InputError] = []
        var skipped: [InputError] = []
        var summary = try store.importItems { sink in
            let run = ImportRun(path: path, options: options, sink: sink)
            defer {
                sink = run.sink
                warnings = run.warnings
                skipped = run.skipped
            }
            switch options.format {
            case .jsonl: try JSONLReader().read(into: run)
            case .csv: try DelimitedReader(delimiter: options.delimiter ?? UInt8(ascii: ","), usesQuotes: true).read(into: run)
            case .tsv: try DelimitedReader(delimiter: options.delimiter ?? 0x09, usesQuotes: false).read(into: run)
            case .text: try PlainTextReader().read(into: run)
            case .labelStudio: try LabelStudioReader().read(into: run)
            }
        }
        summary.skipped = skipped
        return ImportReport(summary: summary, warnings: warnings)
    }
}
