import AnnottyCore
import Foundation
import Testing
@testable import AnnottyLLM

/// Endpoints that are dead, slow or flood the client: every run ends within seconds, nothing
/// huge is stored, and the message names the setting to look at.
@Suite(.serialized) struct HostileEndpointTests {
    func predictor(_ project: TestProject, _ settings: LLMSettings) throws -> LLMPredictor {
        let session = LLMSession(settings: settings, labels: project.labels, guidelines: project.guidelines, store: project.store,
                                 environment: [:])
        return try session.start()
    }

    func elapsed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now()
        let value = try body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
    }

    @Test func aResponseLargerThanTheCapIsAbandonedAndNamesTheCap() throws {
        let project = try TestProject(items: ["one review"])
        let flood = String(repeating: "a", count: 2 << 20)
        let server = try FaultServer(always: .respond(status: 200, body: CannedAnswers.chat(content: flood)))
        defer { server.stop() }
        var settings = project.settings(provider: .openai, baseURL: server.baseURL)
        settings.maxRetries = 3
        let result = try BulkPrelabeler(predictor: predictor(project, settings), store: project.store, concurrency: 1)
            .run(itemIds: project.itemIds)
        #expect(result.failed == 1)
        #expect(result.lastFailure == "response larger than the 1 MiB cap; abandoned (check max_tokens in [llm])")
        // Not retried: the same request would only bring the same flood.
        #expect(server.requests.count == 1)
        let stored = try #require(try project.store.latestPredictions(itemIds: project.itemIds)[project.itemIds[0]])
        #expect(stored.rawAnswer == nil)
        #expect(stored.error?.contains("1 MiB cap") == true)
    }

    @Test func aHugeAnswerUnderTheCapIsStoredCutWithAMark() throws {
        let project = try TestProject(items: ["one review"])
        let answer = String(repeating: "é", count: 300_000)  // 600 KB: under the transport's cap
        let server = try FaultServer(always: .respond(status: 200, body: CannedAnswers.chat(content: answer)))
        defer { server.stop() }
        let settings = project.settings(provider: .openai, baseURL: server.baseURL)
        let sizeBefore = try fileSize(project)
        let result = try BulkPrelabeler(predictor: predictor(project, settings), store: project.store, concurrency: 1)
            .run(itemIds: project.itemIds)
        #expect(result.invalid == 1)
        let stored = try #require(try project.store.latestPredictions(itemIds: project.itemIds)[project.itemIds[0]])
        let raw = try #require(stored.rawAnswer)
        let kept = String(repeating: "é", count: LabelScore.maxStoredAnswerBytes / 2)
        #expect(raw == kept + "… [cut: 600000 bytes, the first 4096 kept]")
        #expect((stored.error ?? "").utf8.count < LabelScore.maxStoredAnswerBytes + 100)
        #expect(try fileSize(project) - sizeBefore < 200_000)
    }

    func fileSize(_ project: TestProject) throws -> Int {
        let base = project.folder.appendingPathComponent("annotty.sqlite").path
        return [base, base + "-wal"].reduce(0) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
    }

    @Test func aClosedPortStopsTheRunWithinSecondsAndSaysWhatToCheck() throws {
        let project = try TestProject(items: (1...300).map { "review number \($0)" })
        let server = try FaultServer(always: .close)
        let url = server.baseURL
        server.stop()
        var settings = project.settings(provider: .openai, baseURL: url)
        settings.maxConcurrency = 4  // the defaults otherwise: three retries with backoff per item
        let prelabeler = BulkPrelabeler(predictor: try predictor(project, settings), store: project.store, concurrency: 4,
                                        endpoint: url)
        let (error, seconds) = elapsed { () -> (any Error)? in
            do { _ = try prelabeler.run(itemIds: project.itemIds); return nil } catch { return error }
        }
        #expect(seconds < 15, "took \(seconds) s")
        guard case .endpointUnreachable(let endpoint, let failures, let reason)? = error as? BulkPrelabelError else {
            Issue.record("expected endpointUnreachable, got \(String(describing: error))")
            return
        }
        #expect(endpoint == url)
        #expect(failures >= 3)
        #expect(reason.hasPrefix("connection refused"))
        let text = String(describing: error!)
        #expect(text.contains("base_url in [llm] of annotty.toml") && text.contains("server is running"))
        // Far from every item was tried.
        let tried = try project.store.latestPredictions(itemIds: project.itemIds).count
        #expect(tried < 20)
    }

    @Test func anUnresolvableHostIsUnreachableToo() throws {
        let project = try TestProject(items: (1...50).map { "review number \($0)" })
        var settings = project.settings(provider: .openai, baseURL: "http://annotty-no-such-host.invalid/v1")
        settings.maxRetries = 0
        let prelabeler = BulkPrelabeler(predictor: try predictor(project, settings), store: project.store, concurrency: 2,
                                        endpoint: settings.baseURL)
        #expect(throws: BulkPrelabelError.self) { try prelabeler.run(itemIds: project.itemIds) }
        let tried = try project.store.latestPredictions(itemIds: project.itemIds)
        #expect(tried.values.allSatisfy { ($0.error ?? "").contains("cannot resolve host") })
    }

    @Test func aSlowServerGetsEachItemOnceAndTheMessageNamesTheTimeout() throws {
        let project = try TestProject(items: ["first review", "second review", "third review"])
        let server = try FaultServer(always: .respondAfter(seconds: 4, status: 200, body: CannedAnswers.labelled("positive", alternatives: [("positive", -0.1)])))
        defer { server.stop() }
        var settings = project.settings(provider: .openai, baseURL: server.baseURL)
        settings.idleTimeoutSeconds = 1
        settings.totalTimeoutSeconds = 2
        settings.maxRetries = 3
        let (result, seconds) = try elapsed {
            try BulkPrelabeler(predictor: predictor(project, settings), store: project.store, concurrency: 1)
                .run(itemIds: project.itemIds)
        }
        #expect(result.failed == 3)
        // Each item sent once: a timed-out request is not sent again while the server works on it.
        #expect(server.requests.count == 3)
        #expect(result.lastFailure == "no data for 1 s (raise idle_timeout_s in [llm] for a slow server)")
        #expect(seconds < 10)
    }

    @Test func timeoutsAfterSendingAreNotRetriedButConnectFailuresAre() {
        #expect(!HTTPFailure.idleTimeout(seconds: 1).isTransient)
        #expect(!HTTPFailure.totalTimeout(seconds: 1).isTransient)
        #expect(!HTTPFailure.responseTooLarge(limitBytes: 1).isTransient)
        #expect(HTTPFailure.connectTimeout(seconds: 1).isTransient)
        #expect(HTTPFailure.connectionRefused.isTransient)
        #expect(HTTPFailure.totalTimeout(seconds: 60).description.contains("total_timeout_s in [llm]"))
    }
}
