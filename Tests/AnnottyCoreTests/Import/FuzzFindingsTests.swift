import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// Inputs scripts/fuzz.sh found that hung or crashed a reader, kept as regressions.
@Suite struct FuzzFindingsTests {
    @Test(.timeLimit(.minutes(1))) func aStrayClosingBraceInLabelStudioTasksIsAnErrorNotAHang() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        // The fuzzer's input, bytes as found: a quote swallowed by control bytes leaves a } at depth 0.
        let found: [UInt8] = Array("[{\"id\": 1,".utf8) + [0x07, 0, 0, 0] + Array("ta\": {\"text\": \"t\"".utf8) + [0xC1]
            + Array(", \"annotations\": [{\"result\": [{\"value\": {\"choices".utf8) + [0xD1]
            + Array(": [\"positive\"]}}]}]}]".utf8)
        for (name, bytes) in [("found.json", found), ("plain.json", Array("[{\"data\": {\"text\": \"t\"}}}]".utf8))] {
            let path = try dir.write(name, bytes: bytes)
            #expect(throws: InputError.self) {
                _ = try Importer(store: store).importFile(at: path, options: ImportOptions(format: .labelStudio))
            }
        }
        let path = try dir.write("plain2.json", bytes: Array("[{\"data\": {\"text\": \"t\"}}}]".utf8))
        #expect(throws: InputError(file: path, line: 1, message: "a } here closes nothing: the tasks are not valid JSON")) {
            _ = try Importer(store: store).importFile(at: path, options: ImportOptions(format: .labelStudio))
        }
        #expect(try store.statusCounts().items == 0)
    }
}
