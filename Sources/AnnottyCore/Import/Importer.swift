import Foundation

/// Runs an import of one file into a store: all-or-nothing by default, in one transaction.
/// One thread reads, parses and hashes; the store's writer inserts what it hands over.
public struct Importer {
    public let store: any AnnotationStore

    public init(store: any AnnotationStore) {
        self.store = store
    }

    public func importFile(at path: String, options: ImportOptions) throws -> ImportReport {
        let handoff = RecordHandoff()
        let run = ItemImportRun(path: path, options: options, handoff: handoff)
        let producerDone = DispatchSemaphore(value: 0)
        let producer = Thread {
            defer { producerDone.signal() }
            do {
                try Importer.read(run)
                try run.flush()
                handoff.finish(nil)
            } catch {
                handoff.finish(error)
            }
        }
        producer.stackSize = 8 << 20
        producer.start()
        let result = Result {
            try store.importItems { sink in
                defer { handoff.cancel() }
                while let batch = try handoff.pop() {
                    for record in batch { try sink.add(record) }
                }
            }
        }
        handoff.cancel()
        producerDone.wait()
        var summary = try result.get()
        summary.skipped = run.skipped
        return ImportReport(summary: summary, warnings: run.warnings)
    }

    static func read(_ run: ItemImportRun) throws {
        let options = run.options
        switch options.format {
        case .jsonl: try JSONLReader().read(into: run)
        case .csv: try DelimitedReader(delimiter: options.delimiter ?? UInt8(ascii: ","), usesQuotes: true).read(into: run)
        case .tsv: try DelimitedReader(delimiter: options.delimiter ?? 0x09, usesQuotes: false).read(into: run)
        case .text: try PlainTextReader().read(into: run)
        case .labelStudio: try LabelStudioReader().read(into: run)
        }
    }
}
