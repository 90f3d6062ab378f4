import AnnottyCore
import Foundation
import Testing
@testable import AnnottyLLM

/// The warmed system prompt outlives the run: saved into the project by the first session,
/// restored (not computed) by the next, and computed again when the saved file is damaged.
/// Part of the serialized local-model suite, so no other server competes for the two cores.
extension LocalModelIntegrationTests {
    func startSession(_ project: TestProject, settings: LLMSettings) throws -> LLMSession {
        let session = LLMSession(settings: settings, labels: project.labels, guidelines: project.guidelines, store: project.store,
                                 projectFolder: project.folder, localEnvironment: { .success(LocalModel.environment!) })
        try session.start()
        return session
    }

    func savedFiles(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test func aSecondSessionOnTheSameProjectRestoresTheSavedPromptInsteadOfComputingIt() throws {
        let sample = try LocalModel.sampleReviews(3)
        let project = try TestProject(items: sample.texts, guidelinesMarkdown: sample.guidelines)
        var settings = project.settings(provider: .local)
        settings.model = "smollm2-135m-instruct"
        let folder = LocalModelServer.slotCacheFolder(projectFolder: project.folder)

        // First session: nothing saved yet, so the prefix is computed and saved.
        let first = try startSession(project, settings: settings)
        let firstReport = try #require(first.warmup)
        first.stop()
        #expect(firstReport.source == .computed, "\(firstReport.notes)")
        #expect(firstReport.prefixTokens > 500)
        #expect(firstReport.tokensEvaluated >= firstReport.prefixTokens - SlotWarmer.restoredTolerance)
        #expect(firstReport.slots == settings.localParallel, "\(firstReport.notes)")
        let file = try #require(firstReport.cacheFile)
        #expect(file.deletingLastPathComponent().standardizedFileURL == folder.standardizedFileURL)
        // One file, under its final name: no temporary file left behind.
        #expect(savedFiles(folder) == [file.lastPathComponent])
        let savedSize = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
        #expect(savedSize > 1_000_000)

        // Second session: the file is restored into every slot; slot 0 evaluates a token or two.
        let started = Date()
        let second = try startSession(project, settings: settings)
        defer { second.stop() }
        let secondReport = try #require(second.warmup)
        #expect(secondReport.source == .restored, "\(secondReport.notes)")
        #expect(secondReport.tokensEvaluated <= SlotWarmer.restoredTolerance)
        #expect(secondReport.slots == settings.localParallel, "\(secondReport.notes)")
        #expect(secondReport.cacheFile == file)
        let predictor = try #require(second.predictor)
        let outcome = try predictor.predict(try #require(try project.items().first))
        let firstPrelabelSeconds = Date().timeIntervalSince(started)
        #expect(outcome.kind == .answered)
        // The bar on a quiet two-core machine is 10 s (start, restore, first answer); a test
        // machine busy with builds gets a looser bound. Computing the prefix alone took longer
        // than this on such a machine.
        #expect(firstPrelabelSeconds < 45, "first pre-label \(firstPrelabelSeconds) s after the start")
        #expect(savedFiles(folder) == [file.lastPathComponent])
    }

    @Test func aDamagedSavedPromptIsRejectedComputedAgainAndReplaced() throws {
        let project = try TestProject(items: Array(TestProject.reviews.prefix(2)))
        var settings = project.settings(provider: .local)
        settings.localParallel = 2
        let folder = LocalModelServer.slotCacheFolder(projectFolder: project.folder)
        let first = try startSession(project, settings: settings)
        let file = try #require(first.warmup?.cacheFile)
        first.stop()
        let goodSize = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0

        // Half a file, as a crash in the middle of a copy would leave.
        let data = try Data(contentsOf: file)
        try data.prefix(data.count / 2).write(to: file)

        let second = try startSession(project, settings: settings)
        defer { second.stop() }
        let report = try #require(second.warmup)
        #expect(report.source == .computed, "\(report.notes)")
        #expect(report.notes.contains { $0.contains("rejected") || $0.contains("restored no tokens") }, "\(report.notes)")
        #expect(report.slots == 2)
        let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
        #expect(size == goodSize)
        #expect(savedFiles(folder) == [file.lastPathComponent])
        // Each step is in the server's log.
        #expect(second.localServer?.logTail(maxCharacters: 4000).contains("annotty: slot cache") == true)
    }
}
