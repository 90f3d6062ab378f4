import AnnottyCore
import Foundation
import Testing
@testable import AnnottyLLM

@Suite struct RetryTests {
    func client(_ script: [Result<HTTPResponse, HTTPFailure>], maxRetries: Int = 3, recorder: SleepRecorder) -> (OpenAICompatibleClient, ScriptedTransport) {
        let transport = ScriptedTransport(script)
        let endpoint = LLMEndpoint(baseURL: "http://h/v1", retry: RetryPolicy(maxRetries: maxRetries, baseDelaySeconds: 0.5))
        return (OpenAICompatibleClient(endpoint: endpoint, transport: transport, sleep: recorder.sleep, unitRandom: { 0.5 }), transport)
    }

    let ok = HTTPResponse(status: 200, body: Data(CannedAnswers.chat(content: "{\"label\":\"a\"}").utf8))
    let request = ChatRequest(model: "m", messages: [.user("x")])

    @Test func backoffIsExponentialWithJitter() {
        let policy = RetryPolicy(maxRetries: 5, baseDelaySeconds: 0.5, maxDelaySeconds: 3)
        #expect(policy.delay(afterAttempt: 0, retryAfterSeconds: nil, unitRandom: 0.5) == 0.25)
        #expect(policy.delay(afterAttempt: 1, retryAfterSeconds: nil, unitRandom: 0.5) == 0.5)
        #expect(policy.delay(afterAttempt: 2, retryAfterSeconds: nil, unitRandom: 1.0) == 2.0)
        // Capped at maxDelaySeconds.
        #expect(policy.delay(afterAttempt: 4, retryAfterSeconds: nil, unitRandom: 1.0) == 3.0)
        #expect(policy.delay(afterAttempt: 5, retryAfterSeconds: nil, unitRandom: 0.5) == nil)
    }

    @Test func retryAfterIsReadAsSecondsOrAsAnHTTPDate() {
        #expect(RetryPolicy.retryAfterSeconds("7") == 7)
        let now = Date(timeIntervalSince1970: 1_445_412_480) // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(RetryPolicy.retryAfterSeconds("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == 30)
        #expect(RetryPolicy.retryAfterSeconds("soon") == nil)
    }

    @Test func status429WaitsExactlyWhatRetryAfterSays() throws {
        let recorder = SleepRecorder()
        let (client, transport) = client([.success(HTTPResponse(status: 429, headers: ["retry-after": "3"])), .success(ok)], recorder: recorder)
        let notices = NoticeLog()
        let response = try client.chatCompletion(request, onRetry: { notices.add($0) })
        #expect(response.content == "{\"label\":\"a\"}")
        #expect(recorder.delays == [3])
        #expect(transport.sentCount == 2)
        #expect(notices.all.map(\.description) == ["HTTP 429, retrying in 3 s"])
    }

    @Test func serverErrorsAndDroppedConnectionsAreRetriedWithGrowingWaits() throws {
        let recorder = SleepRecorder()
        let (client, transport) = client([.success(HTTPResponse(status: 500)), .failure(.connectionReset),
                                          .success(HTTPResponse(status: 503)), .success(ok)], recorder: recorder)
        _ = try client.chatCompletion(request)
        #expect(recorder.delays == [0.25, 0.5, 1.0])
        #expect(transport.sentCount == 4)
    }

    @Test func aTimeoutAfterSendingIsNotRetried() {
        let recorder = SleepRecorder()
        let (client, transport) = client([.failure(.idleTimeout(seconds: 2)), .success(ok)], recorder: recorder)
        #expect(throws: LLMError.transport(.idleTimeout(seconds: 2))) { try client.chatCompletion(request) }
        #expect(transport.sentCount == 1)
        #expect(recorder.delays.isEmpty)
    }

    @Test func givesUpAfterMaxRetriesWithTheLastError() {
        let recorder = SleepRecorder()
        let (client, transport) = client(Array(repeating: .success(HTTPResponse(status: 502, body: Data("bad gateway".utf8))), count: 5),
                                         maxRetries: 2, recorder: recorder)
        #expect(throws: LLMError.http(status: 502, message: "bad gateway")) { try client.chatCompletion(request) }
        #expect(transport.sentCount == 3)
        #expect(recorder.delays.count == 2)
    }

    @Test func clientErrorsAreNotRetried() {
        let recorder = SleepRecorder()
        let body = Data("{\"error\":{\"message\":\"Invalid model\"}}".utf8)
        let (client, transport) = client([.success(HTTPResponse(status: 400, body: body)), .success(ok)], recorder: recorder)
        #expect(throws: LLMError.http(status: 400, message: "Invalid model")) { try client.chatCompletion(request) }
        #expect(transport.sentCount == 1)
        #expect(recorder.delays.isEmpty)
    }

    @Test func aRetryAfterLongerThanTheLimitFailsAtOnce() {
        let recorder = SleepRecorder()
        let (client, _) = client([.success(HTTPResponse(status: 429, headers: ["retry-after": "3600"])), .success(ok)], recorder: recorder)
        #expect(throws: LLMError.http(status: 429, message: "")) { try client.chatCompletion(request) }
        #expect(recorder.delays.isEmpty)
    }

    @Test func aServerThatEchoesTheKeyIsRedacted() {
        let recorder = SleepRecorder()
        let transport = ScriptedTransport([.success(HTTPResponse(status: 401, body: Data("{\"error\":{\"message\":\"bad key sk-secret-999\"}}".utf8)))])
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://h/v1", apiKey: "sk-secret-999"), transport: transport,
                                            sleep: recorder.sleep)
        #expect(throws: LLMError.http(status: 401, message: "bad key [redacted]")) { try client.chatCompletion(request) }
    }

    @Test func structuredOutputIsDroppedWhenTheServerRejectsIt() throws {
        let rejection = HTTPResponse(status: 400, body: Data("{\"error\":{\"message\":\"response_format json_schema is not supported\"}}".utf8))
        let answer = HTTPResponse(status: 200, body: Data(CannedAnswers.labelled("a", alternatives: [("a", -0.1), ("b", -2.4)]).utf8))
        let transport = ScriptedTransport([.success(rejection), .success(answer), .success(answer)])
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://h/v1"), transport: transport, sleep: SleepRecorder().sleep)
        let scorer = ChatLogprobScorer(client: client, model: "m")
        let labels = LabelSet(names: ["a", "b"])
        let prompt = Prompt(messages: [.user("x")], hash: "h")
        #expect(try scorer.score(prompt, labels: labels, context: ScoringContext()).label == "a")
        _ = try scorer.score(prompt, labels: labels, context: ScoringContext())
        let formats = transport.sent.map { (try? JSONValue.parse($0.body ?? Data()))?["response_format"] != nil }
        #expect(formats == [true, false, false])
    }
}

final class NoticeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var notices: [RetryNotice] = []
    func add(_ notice: RetryNotice) { lock.lock(); notices.append(notice); lock.unlock() }
    var all: [RetryNotice] { lock.lock(); defer { lock.unlock() }; return notices }
}
