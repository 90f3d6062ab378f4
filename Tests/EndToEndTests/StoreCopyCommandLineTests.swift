import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// `annotty store copy` through the binary: a labelled SQLite project copied to PostgreSQL and back
/// into a new folder exports byte for byte what the original exports; a copy into a store that
/// holds work is refused and writes nothing.
@Suite(.enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"),
       .enabled(if: TestPostgres.available, "\(TestPostgres.missingMessage)"))
struct StoreCopyCommandLineTests {
    @Test func sqliteToPostgresToSqliteExportsTheSame() throws {
        let project = try LabelTestProject.texts((1...120).map { "Copied item \($0)." })
        let folder = project.folder.path
        try project.annotty(["drive", "-p", folder, "--annotator", "ann", "--seconds", "2", "--pace-ms", "0", "--seed", "3"])
        try project.annotty(["drive", "-p", folder, "--annotator", "bea", "--seconds", "2", "--pace-ms", "0", "--seed", "4"])
        try project.annotty(["aggregate", "-p", folder])
        let original = project.folder.appendingPathComponent("original.jsonl").path
        try project.annotty(["export", "-p", folder, "--format", "jsonl", "-o", original])

        let url = try TestPostgres.freshDatabaseURL()
        let there = try project.annotty(["store", "copy", "--from", folder, "--to", url])
        #expect(there.contains("rows of decisions"), "\(there)")
        let back = project.folder.appendingPathComponent("back").path
        try project.annotty(["store", "copy", "--from", url, "--to", back])
        let copied = project.folder.appendingPathComponent("copied.jsonl").path
        // The copy in the new folder is a project of its own (annotty.toml written beside it).
        try project.annotty(["export", "-p", back, "--format", "jsonl", "-o", copied])
        let originalText = try String(contentsOfFile: original, encoding: .utf8)
        #expect(originalText.split(separator: "\n").count == 120)
        #expect(try String(contentsOfFile: copied, encoding: .utf8) == originalText)

        // Into a store that holds work: refused, nothing written.
        let before = try project.annotty(["status", "-p", back])
        #expect(throws: (any Error).self) { try project.annotty(["store", "copy", "--from", folder, "--to", back]) }
        #expect(try project.annotty(["status", "-p", back]) == before)
    }
}
