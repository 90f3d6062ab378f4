import Foundation
import Testing
@testable import AnnottyLLM

/// The saved system prompt's file name and the folder's upkeep, without a server.
@Suite struct SlotCacheFileTests {
    @Test func theFileNameChangesWithThePromptTheModelAndTheServerOptions() {
        let base = SlotWarmer.fileName(prompt: "system", modelIdentity: "/m.gguf|1|2", fingerprint: "ctx=4096")
        #expect(base.hasPrefix("prefix-") && base.hasSuffix(".bin"))
        #expect(base == SlotWarmer.fileName(prompt: "system", modelIdentity: "/m.gguf|1|2", fingerprint: "ctx=4096"))
        #expect(base != SlotWarmer.fileName(prompt: "system.", modelIdentity: "/m.gguf|1|2", fingerprint: "ctx=4096"))
        #expect(base != SlotWarmer.fileName(prompt: "system", modelIdentity: "/m.gguf|1|3", fingerprint: "ctx=4096"))
        #expect(base != SlotWarmer.fileName(prompt: "system", modelIdentity: "/m.gguf|1|2", fingerprint: "ctx=2048"))
        // Only hex after the prefix: a name llama.cpp accepts as a file name.
        let hash = base.dropFirst("prefix-".count).dropLast(".bin".count)
        #expect(hash.count == 32 && hash.allSatisfy(\.isHexDigit))
    }

    @Test func savingOnePrefixRemovesOtherPrefixesAndAbandonedTemporaryFilesOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-slot-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = ["prefix-kept.bin", "prefix-old.bin", "prefix-kept.bin.tmp-1-2", "prefix-x.bin.tmp-3-4", "notes.txt"]
        for name in names {
            #expect(FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data("x".utf8)))
        }
        // An abandoned temporary file (two days old) goes; one being written now stays.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -2 * 86_400)],
                                              ofItemAtPath: folder.appendingPathComponent("prefix-x.bin.tmp-3-4").path)
        SlotWarmer.removeOtherFiles(in: folder, keeping: "prefix-kept.bin")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == ["notes.txt", "prefix-kept.bin", "prefix-kept.bin.tmp-1-2"])
    }
}
