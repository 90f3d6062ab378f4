import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

@Suite struct ImportFormatsTests {
    @Test func csvQuotedFieldsMaySpanLinesAndHoldCommasAndQuotes() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("db.sqlite"))
        let path = try dir.write("items.csv", "id,text,hypothesis\n7,\"Line one,\nline \"\"two\"\"\",short\n8,plain,other\n")
        let report = try Importer(store: store).importFile(
            at: path, options: ImportOptions(format: .csv, displayFields: ["hypothesis"]))
        #expect(report.summary.inserted == 2)
        let items = try store.items(ids: [1, 2])
        #expect(items[0].text == "Line one,\nline \"two\"")
        #expect(items[0].externalId == "7" && items[0].fields == [ItemField(name: "hypothesis", value: "short")])
        #expect(items[1].text == "plain")
    }

    @Test func plainTextMakesOneItemPerLine() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("db.sqlite"))
        let path = try dir.write("items.txt", "first\nsecond\n\nfirst\n")
        let report = try Importer(store: store).importFile(at: path, options: ImportOptions(format: .text))
        #expect(report.summary.inserted == 2 && report.summary.duplicates == 1)
    }

    @Test(.enabled(if: SharedDatasets.available, "\(SharedDatasets.missingMessage)"))
    func rteTextAndHypothesisGive800ItemsWithBothFields() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("db.sqlite"))
        let report = try Importer(store: store).importFile(
            at: SharedDatasets.url("rte/rte1.tsv").path,
            options: ImportOptions(format: .tsv, textField: "text", displayFields: ["hypothesis"]))
        #expect(report.summary.inserted == 800 && report.summary.duplicates == 0 && report.warnings.isEmpty)
        let first = try #require(try store.items(ids: [1]).first)
        #expect(first.externalId == "754")
        #expect(first.text.hasPrefix("Mexico City has a very bad pollution problem"))
        #expect(first.field("hypothesis") == "Poor air circulation out of the mountain-walled Mexico City aggravates pollution.")
        #expect(first.metadataJSON == "{\"value\":\"TRUE\",\"task\":\"CD\"}")
        #expect(try store.statusCounts().items == 800)
    }
}
