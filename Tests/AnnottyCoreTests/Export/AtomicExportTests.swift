import AnnottyTestSupport
import Foundation
import Testing
@testable import AnnottyCore

/// An export that fails half-way leaves the previous file, not a truncated one.
@Suite struct AtomicExportTests {
    func leftovers(_ dir: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.contains(".partial-") }
    }

    @Test func aFinishedExportReplacesTheFileWhole() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("out.jsonl", "old\n")
        let output = try BufferedOutput(path: path)
        output.write("new line 1\n")
        // Until closed, the old file is what a reader sees.
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        output.write("new line 2\n")
        try output.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new line 1\nnew line 2\n")
        #expect(try leftovers(dir).isEmpty)
    }

    @Test func anAbandonedExportLeavesThePreviousFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("out.jsonl", "old\n")
        do {
            let output = try BufferedOutput(path: path)
            output.write(String(repeating: "partial\n", count: 10_000))
            // The exporter throws here; close() is never reached.
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(try leftovers(dir).isEmpty)
    }

    @Test func anAbandonedFirstExportLeavesNoFile() throws {
        let dir = try TemporaryDirectory()
        do {
            let output = try BufferedOutput(path: dir.path("new.csv"))
            output.write("id,label\n")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path("new.csv")))
        #expect(try leftovers(dir).isEmpty)
    }

    @Test func aFullDiskFailsTheExportAndKeepsThePreviousFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("out.jsonl", "old\n")
        // The temporary file lands on a full device: every flush fails with ENOSPC.
        let output = try BufferedOutput(path: path, openTemporary: { _ in fopen("/dev/full", "wb") })
        output.write(String(repeating: "x", count: 100_000))
        #expect(throws: InputError(file: path, message: "write failed: No space left on device; \(path) was left as it was. "
                                   + "Free some space or choose another place with -o, then export again.")) {
            try output.close()
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
    }

    @Test func writingToADeviceGoesStraightThere() throws {
        let output = try BufferedOutput(path: "/dev/full")
        output.write(String(repeating: "x", count: 100_000))
        #expect(throws: InputError.self) { try output.close() }
    }
}
