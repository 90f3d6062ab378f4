import AnnottyCore
import Foundation
import Testing
@testable import AnnottyLLM
import AnnottyLoop
import AnnottyTestSupport

/// Against a loopback server that misbehaves on purpose: no crash, no wait past the configured
/// timeouts, the item stays labelable by hand, and the status line says what happened.
@Suite(.serialized) struct FaultTests {
    /// Tight limits so that every fault resolves within seconds.
    func settings(_ project: TestProject, server: FaultServer) -> LLMSettings {
        var settings = project.settings(provider: .openai, baseURL: server.baseURL)
        settings.connectTimeoutSeconds = 1
        settings.idleTimeoutSeconds = 1
        settings.totalTimeoutSeconds = 3
        settings.maxRetries = 1
        settings.maxConcurrency = 2
        settings.prefetchAhead = 1
        return settings
    }

    struct Observation {
        var status: LLMStatus
        var seconds: Double
        var statuses: [LLMStatus]
    }

    /// Runs the prefetcher on the first item until the status reaches `state` or `limit` passes.
    func observe(_ project: TestProject, _ settings: LLMSettings, until state: LLMStatus.State, limit: Double) throws -> Observation {
        let session = LLMSession(settings: settings, labels: project.labels, guidelines: project.guidelines, store: project.store,
                                 environment: [:])
        let prefetcher = Prefetcher(session: session, store: project.store)
        let log = StatusLog()
        prefetcher.onStatus = { log.add($0) }
        let started = Date()
        prefetcher.start()
        prefetcher.setUpcoming([project.itemIds[0]])
        log.wait(timeout: limit) { $0.last?.state == state }
        let seconds = Date().timeIntervalSince(started)
        prefetcher.stop()
        session.stop()
        return Observation(status: log.last ?? prefetcher.status, seconds: seconds, statuses: log.all)
    }

    /// The item can still be labelled by hand and no pre-label is shown for it.
    func expectLabelableByHand(_ project: TestProject) throws {
        let itemId = project.itemIds[0]
        let latest = try project.store.latestPredictions(itemIds: [itemId])[itemId]
        #expect(latest?.isValid != true)
        let claimed = try project.store.claimNextItems(annotator: "ann", limit: 1, excluding: [], leaseSeconds: 60)
        #expect(claimed.first?.item.id == itemId)
        #expect(claimed.first?.prediction?.isValid != true)
        try project.store.recordDecision(Decision(itemId: itemId, annotator: "ann", kind: .correct, label: "neutral"))
        #expect(try project.store.openItemIds(limit: 100).contains(itemId) == false)
    }

    @Test func aServerThatHangsTimesOutAndTheStatusSaysSo() throws {
        let project = try TestProject()
        let server = try FaultServer(always: .hang)
        defer { server.stop() }
        let seen = try observe(project, settings(project, server: server), until: .failing, limit: 15)
        #expect(seen.status.state == .failing)
        #expect(seen.status.reason == "item \(project.itemIds[0]): no data for 1 s (raise idle_timeout_s in [llm] for a slow server)")
        // One attempt of about one idle second (a timed-out request is not resent): far below 15 s.
        #expect(seen.seconds < 8)
        try expectLabelableByHand(project)
    }

    @Test func aServerThatDripsBytesHitsTheTotalTimeout() throws {
        let project = try TestProject()
        let server = try FaultServer(always: .drip(interval: 0.2))
        defer { server.stop() }
        let seen = try observe(project, settings(project, server: server), until: .failing, limit: 15)
        #expect(seen.status.reason == "item \(project.itemIds[0]): timed out after 3 s (raise total_timeout_s in [llm] for a slow server)")
        #expect(seen.seconds < 10)
        try expectLabelableByHand(project)
    }

    @Test func status500IsRetriedThenReported() throws {
        let project = try TestProject()
        let server = try FaultServer(always: .respond(status: 500, body: "{\"error\":{\"message\":\"boom\"}}"))
        defer { server.stop() }
        let seen = try observe(project, settings(project, server: server), until: .failing, limit: 10)
        #expect(seen.status.reason == "item \(project.itemIds[0]): HTTP 500: boom")
        #expect(server.requests.count >= 2) // the first try and one retry
        try expectLabelableByHand(project)
    }

    @Test func status429HonoursRetryAfterAndTheStatusShowsTheWait() throws {
        let project = try TestProject()
        let answer = CannedAnswers.labelled("negative", alternatives: [("negative", -0.1), ("positive", -2.5)])
        let server = try FaultServer { index, _ in
            index == 0 ? .respond(status: 429, headers: ["Retry-After": "2"], body: "{\"error\":{\"message\":\"slow down\"}}")
                : .respond(status: 200, body: answer)
        }
        defer { server.stop() }
        let seen = try observe(project, settings(project, server: server), until: .ready, limit: 10)
        #expect(seen.statuses.contains { $0.state == .slow && $0.reason == "HTTP 429, retrying in 2 s" })
        #expect(seen.status.state == .ready)
        #expect(seen.seconds >= 2)
        let itemId = project.itemIds[0]
        #expect(try project.store.latestPredictions(itemIds: [itemId])[itemId]?.label == "negative")
    }

    @Test func invalidJSONIsReportedAsAnInvalidResponse() throws {
        let project = try TestProject()
        let server = try FaultServer(always: .respond(status: 200, body: "{\"choices\": [oops"))
        defer { server.stop() }
        let seen = try observe(project, settings(project, server: server), until: .failing, limit: 10)
        #expect(seen.status.reason == "item \(project.itemIds[0]): invalid response: the server's answer is not JSON: {\"choices\": [oops")
        try expectLabelableByHand(project)
    }

    @Test func aLabelOutsideTheSetIsRecordedInvalidAndNotShown() throws {
        let project = try TestProject()
        let server = try FaultServer(always: .respond(status: 200, body: CannedAnswers.labelled("sarcastic", alternatives: [("sarcastic", -0.1)])))
        defer { server.stop() }
        let seen = try observe(project, settings(project, server: server), until: .failing, limit: 10)
        #expect(seen.status.reason == "item \(project.itemIds[0]): invalid answer: label \"sarcastic\" is not in the label set")
        let latest = try #require(try project.store.latestPredictions(itemIds: [project.itemIds[0]])[project.itemIds[0]])
        #expect(latest.isValid == false)
        #expect(latest.rawAnswer == "{\"label\": \"sarcastic\"}")
        try expectLabelableByHand(project)
    }

    @Test func aResetConnectionIsRetriedThenReported() throws {
        let project = try TestProject()
        let server = try FaultServer(always: .reset)
        defer { server.stop() }
        let seen = try observe(project, settings(project, server: server), until: .failing, limit: 10)
        #expect(seen.status.reason == "item \(project.itemIds[0]): connection reset by the server")
        #expect(server.requests.count == 2)
        try expectLabelableByHand(project)
    }

    @Test func nobodyListeningIsReportedAsRefused() throws {
        let project = try TestProject()
        let server = try FaultServer(always: .close)
        let url = server.baseURL
        server.stop()
        var settings = project.settings(provider: .openai, baseURL: url)
        settings.maxRetries = 0
        settings.prefetchAhead = 1
        let seen = try observe(project, settings, until: .failing, limit: 10)
        #expect(seen.status.reason == "item \(project.itemIds[0]): connection refused (is the server at base_url in [llm] running?)")
        try expectLabelableByHand(project)
    }

    @Test func connectionsAreReusedBetweenRequests() throws {
        let answer = CannedAnswers.labelled("positive", alternatives: [("positive", -0.1)])
        let server = try FaultServer(always: .respond(status: 200, body: answer))
        defer { server.stop() }
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: server.baseURL))
        for _ in 0..<5 { _ = try client.chatCompletion(ChatRequest(model: "m", messages: [.user("x")])) }
        #expect(server.requests.count == 5)
        #expect(server.connectionsAccepted == 1)
    }

    @Test func noMoreThanMaxConcurrencyRequestsAreInFlight() throws {
        let answer = CannedAnswers.labelled("positive", alternatives: [("positive", -0.1)])
        let server = try FaultServer(always: .respondAfter(seconds: 0.2, status: 200, body: answer))
        defer { server.stop() }
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: server.baseURL, maxConcurrency: 3))
        // Threads of their own: Dispatch's concurrent work is capped at the core count.
        let group = DispatchGroup()
        for index in 0..<6 {
            DispatchQueue(label: "caller\(index)").async(group: group) {
                _ = try? client.chatCompletion(ChatRequest(model: "m", messages: [.user("x")]))
            }
        }
        group.wait()
        #expect(server.requests.count == 6)
        #expect(client.peakConcurrency == 3)
    }

    @Test func stoppingAbandonsARequestInFlightWithinASecond() throws {
        let server = try FaultServer(always: .hang)
        defer { server.stop() }
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: server.baseURL, timeouts: HTTPTimeouts(idleSeconds: 30, totalSeconds: 60)))
        let token = CancellationToken()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { token.cancel() }
        let started = Date()
        #expect(throws: LLMError.cancelled) { try client.chatCompletion(ChatRequest(model: "m", messages: [.user("x")]), cancellation: token) }
        #expect(Date().timeIntervalSince(started) < 2.5)
    }
}

typealias StatusLog = EventLog<LLMStatus>
