import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// Every kind of bad input gets a message naming the file and line, and a failed
/// all-or-nothing import leaves the database exactly as it was.
@Suite struct ImportBadInputTests {
    let dir: TemporaryDirectory
    let store: SQLiteStore

    init() throws {
        dir = try TemporaryDirectory()
        store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        // Something already stored, which a failed import must not disturb.
        _ = try store.importItems { sink in try sink.add(ImportRecord(externalId: "keep", text: "already here")) }
        try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .correct, label: "a"))
    }

    func importJSONL(_ name: String, _ bytes: [UInt8], skipInvalid: Bool = false) throws -> ImportReport {
        let path = try dir.write(name, bytes: bytes)
        return try Importer(store: store).importFile(at: path, options: ImportOptions(format: .jsonl, skipInvalid: skipInvalid))
    }

    func expectFailureLeavesDatabaseUnchanged(_ name: String, _ bytes: [UInt8], message expected: String, line: Int) throws {
        let before = try store.snapshot()
        let path = dir.path(name)
        #expect(throws: InputError(file: path, line: line, message: expected)) {
            _ = try importJSONL(name, bytes)
        }
        #expect(try store.snapshot() == before)
    }

    @Test func invalidUTF8NamesTheLineAndByte() throws {
        let bytes = Array("{\"text\":\"fine\"}\n{\"text\":\"caf".utf8) + [0xC3, 0x28] + Array("\"}\n".utf8)
        try expectFailureLeavesDatabaseUnchanged("bad-utf8.jsonl", bytes,
            message: "invalid UTF-8 at byte 13 of the line (save the file as UTF-8)", line: 2)
    }

    @Test func aMissingTextFieldNamesTheLineAndTheFieldsThere() throws {
        try expectFailureLeavesDatabaseUnchanged("missing.jsonl", Array("{\"text\":\"a\"}\n{\"body\":\"b\",\"id\":7}\n".utf8),
            message: "no \"text\" field (fields here: body, id); choose one with --text-field", line: 2)
    }

    @Test func malformedJSONStopsTheImport() throws {
        let before = try store.snapshot()
        let path = try dir.write("broken.jsonl", "{\"text\":\"a\"}\n{\"text\":\"b\"}\n{\"text\": \"c\"\n")
        do {
            _ = try Importer(store: store).importFile(at: path, options: ImportOptions(format: .jsonl))
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.file == path && error.line == 3)
            #expect(error.message.hasPrefix("not valid JSON"))
        }
        #expect(try store.snapshot() == before)
    }

    @Test func aNonObjectLineIsNamed() throws {
        try expectFailureLeavesDatabaseUnchanged("array.jsonl", Array("[1,2]\n".utf8),
            message: "expected a JSON object, found an array", line: 1)
    }

    @Test func anEmptyTextIsRejected() throws {
        try expectFailureLeavesDatabaseUnchanged("empty-text.jsonl", Array("{\"text\":\"  \"}\n".utf8),
            message: "\"text\" is empty", line: 1)
    }

    @Test func byteOrderMarkCRLFAndEmptyLinesAreReportedAndTolerated() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"text\":\"a\"}\r\n\r\n{\"text\":\"b\"}\r\n\n{\"text\":\"c\"}\n".utf8)
        let report = try importJSONL("windows.jsonl", bytes)
        let path = dir.path("windows.jsonl")
        #expect(report.summary.inserted == 3)
        #expect(report.warnings == [
            InputError(file: path, line: 1, message: "starts with a UTF-8 byte-order mark; ignored"),
            InputError(file: path, line: 1, message: "Windows (CRLF) line endings from here on; read as plain line breaks"),
            InputError(file: path, line: 2, message: "2 empty line(s) skipped (lines 2, 4)"),
        ])
        #expect(try store.items(ids: [2]).first?.text == "a")
    }

    @Test func skipInvalidImportsTheRestAndListsEachSkippedLine() throws {
        let text = "{\"text\":\"a\"}\n{\"txt\":\"b\"}\nnot json\n{\"text\":\"d\"}\n{\"text\":\"a\"}\n"
        let report = try importJSONL("mixed.jsonl", Array(text.utf8), skipInvalid: true)
        #expect(report.summary.inserted == 2)
        #expect(report.summary.duplicates == 1)
        #expect(report.summary.skipped.map(\.line) == [2, 3])
        #expect(report.summary.skipped[0].message.contains("no \"text\" field"))
    }

    @Test func csvWithAnUnclosedQuoteNamesTheRowsFirstLine() throws {
        let path = try dir.write("unclosed.csv", "text,id\n\"fine\",1\n\"never closed,2\nmore\n")
        let before = try store.snapshot()
        #expect(throws: InputError(file: path, line: 3, message: "a quoted field is never closed")) {
            _ = try Importer(store: store).importFile(at: path, options: ImportOptions(format: .csv))
        }
        #expect(try store.snapshot() == before)
    }

    @Test func csvRowWithTheWrongColumnCount() throws {
        let path = try dir.write("short.csv", "id,text,extra\n1,hello,x\n2,world\n")
        #expect(throws: InputError(file: path, line: 3, message: "expected 3 columns as in the header, found 2")) {
            _ = try Importer(store: store).importFile(at: path, options: ImportOptions(format: .csv))
        }
    }

    @Test func aRepeatedIdNamesBothLinesAndIsAWarningWhenAllowed() throws {
        let bytes = Array("{\"id\":\"a\",\"text\":\"one\"}\n{\"id\":\"b\",\"text\":\"two\"}\n{\"id\":\"a\",\"text\":\"three\"}\n".utf8)
        try expectFailureLeavesDatabaseUnchanged("dup.jsonl", bytes, message:
            "id \"a\" was already used on line 1 (ids must be unique in a file; --allow-duplicate-ids imports both)", line: 3)
        var options = ImportOptions(format: .jsonl)
        options.allowDuplicateIds = true
        let report = try Importer(store: store).importFile(at: dir.path("dup.jsonl"), options: options)
        #expect(report.summary.inserted == 3)
        #expect(report.warnings.map(\.line) == [3])
    }

    /// A Label Studio task whose annotation or prediction names a label outside the project's set,
    /// or several labels on a single-label project, stops the import at the task's line.
    @Test func labelStudioLabelsOutsideTheSetOrSeveralAtOnceAreErrors() throws {
        func task(_ id: Int, annotation: [String]? = nil, prediction: [String]? = nil) -> String {
            func result(_ choices: [String]) -> String {
                "[{\"from_name\":\"label\",\"to_name\":\"text\",\"type\":\"choices\",\"value\":{\"choices\":["
                    + choices.map { "\"\($0)\"" }.joined(separator: ",") + "]}}]"
            }
            var out = "{\"id\":\(id),\"data\":{\"text\":\"task \(id)\"}"
            if let annotation { out += ",\"annotations\":[{\"completed_by\":1,\"result\":" + result(annotation) + "}]" }
            if let prediction { out += ",\"predictions\":[{\"model_version\":\"m\",\"score\":0.9,\"result\":" + result(prediction) + "}]" }
            return out + "}"
        }
        var options = ImportOptions(format: .labelStudio)
        options.labels = ["a", "b"]
        let cases: [(String, String)] = [
            (task(2, annotation: ["banana"]), "an annotation has the label \"banana\", which is not one of a, b (add it to annotty.toml, or fix the file)"),
            (task(2, prediction: ["banana"]), "a prediction has the label \"banana\", which is not one of a, b (add it to annotty.toml, or fix the file)"),
            (task(2, annotation: ["a", "b"]), "an annotation chooses several labels (a, b); this project takes one label per item"),
        ]
        for (index, (bad, message)) in cases.enumerated() {
            let path = try dir.write("ls\(index).json", "[\n" + task(1, annotation: ["a"]) + ",\n" + bad + "\n]\n")
            let before = try store.snapshot()
            #expect(throws: InputError(file: path, line: 3, message: message)) {
                _ = try Importer(store: store).importFile(at: path, options: options)
            }
            #expect(try store.snapshot() == before)
        }
        // With --skip-invalid the bad task is left out whole and listed; the good one arrives.
        options.skipInvalid = true
        let report = try Importer(store: store).importFile(at: dir.path("ls0.json"), options: options)
        #expect(report.summary.inserted == 1 && report.summary.skipped.map(\.line) == [3])
    }
}
