import AnnottyCore
import Foundation

/// Where and how to reach an OpenAI-compatible server.
public struct LLMEndpoint: Sendable {
    /// The API base up to and including /v1, e.g. "http://127.0.0.1:8080/v1".
    public var baseURL: String
    /// The key itself, read from the environment at startup. Never stored, logged or shown.
    public var apiKey: String?
    public var timeouts: HTTPTimeouts
    public var retry: RetryPolicy
    public var maxConcurrency: Int

    public init(baseURL: String, apiKey: String? = nil, timeouts: HTTPTimeouts = HTTPTimeouts(),
                retry: RetryPolicy = RetryPolicy(), maxConcurrency: Int = 4) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.timeouts = timeouts
        self.retry = retry
        self.maxConcurrency = maxConcurrency
    }

    /// The endpoint a project's settings describe; the key is read from the variable the
    /// settings name (`api_key_env`), never from the settings themselves.
    public init(settings: LLMSettings, baseURL: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(baseURL: baseURL ?? settings.baseURL,
                  apiKey: settings.apiKeyEnv.isEmpty ? nil : environment[settings.apiKeyEnv],
                  timeouts: HTTPTimeouts(connectSeconds: settings.connectTimeoutSeconds,
                                         idleSeconds: settings.idleTimeoutSeconds,
                                         totalSeconds: settings.totalTimeoutSeconds),
                  retry: RetryPolicy(maxRetries: settings.maxRetries),
                  maxConcurrency: settings.maxConcurrency)
    }

    /// The server root, for llama.cpp's own endpoints (/health, /completion, /tokenize), which
    /// live beside /v1 rather than under it.
    public var serverRoot: String {
        baseURL.hasSuffix("/v1") ? String(baseURL.dropLast(3)) : baseURL
    }
}

/// A client for the OpenAI-compatible chat-completions API (and llama.cpp's native endpoints
/// on the same server), with retries, a concurrency limit and connection reuse. Thread-safe:
/// call it from as many threads as you like; at most `maxConcurrency` requests are in flight.
public final class OpenAICompatibleClient: Sendable {
    public let endpoint: LLMEndpoint
    let transport: any HTTPTransport
    let limiter: ConcurrencyLimiter
    let sleep: @Sendable (Double, CancellationToken?) -> Bool
    let unitRandom: @Sendable () -> Double

    /// - Parameters:
    ///   - sleep: waits between retries; returns false when cancelled. Tests pass a recorder.
    ///   - unitRandom: the jitter source, a number in [0, 1).
    public init(endpoint: LLMEndpoint, transport: any HTTPTransport = CurlTransport(),
                sleep: @escaping @Sendable (Double, CancellationToken?) -> Bool = OpenAICompatibleClient.defaultSleep,
                unitRandom: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.endpoint = endpoint
        self.transport = transport
        self.limiter = ConcurrencyLimiter(limit: endpoint.maxConcurrency)
        self.sleep = sleep
        self.unitRandom = unitRandom
    }

    public static let defaultSleep: @Sendable (Double, CancellationToken?) -> Bool = { seconds, token in
        if let token { return token.sleep(seconds: seconds) }
        Thread.sleep(forTimeInterval: seconds)
        return true
    }

    /// The most requests that were in flight at once (for tests and benchmarks).
    public var peakConcurrency: Int { limiter.peakConcurrency }

    // MARK: Chat completions

    public func chatCompletion(_ request: ChatRequest, cancellation: CancellationToken? = nil,
                               onRetry: (@Sendable (RetryNotice) -> Void)? = nil) throws(LLMError) -> ChatResponse {
        let json = try postJSON(url: endpoint.baseURL + "/chat/completions", body: request.body,
                                cancellation: cancellation, onRetry: onRetry)
        return try ChatResponse.parse(json)
    }

    // MARK: Requests with retries

    /// POSTs a JSON body and returns the parsed JSON answer, retrying transient failures.
    public func postJSON(url: String, body: JSONValue, cancellation: CancellationToken? = nil,
                         onRetry: (@Sendable (RetryNotice) -> Void)? = nil) throws(LLMError) -> JSONValue {
        let request = HTTPRequest(method: "POST", url: url, headers: headers(json: true), body: body.data,
                                  timeouts: endpoint.timeouts)
        let response = try send(request, cancellation: cancellation, onRetry: onRetry)
        do {
            return try JSONValue.parse(response.body)
        } catch {
            throw .invalidResponse("the server's answer is not JSON: \(redact(String(response.bodyText.prefix(80))))")
        }
    }

    public func getJSON(url: String, timeouts: HTTPTimeouts? = nil, cancellation: CancellationToken? = nil) throws(LLMError) -> JSONValue {
        let request = HTTPRequest(method: "GET", url: url, headers: headers(json: false),
                                  timeouts: timeouts ?? endpoint.timeouts)
        let response: HTTPResponse
        do {
            response = try limiter.run { () throws(HTTPFailure) -> HTTPResponse in
                try transport.send(request, cancellation: cancellation)
            }
        } catch {
            throw .transport(error)
        }
        guard (200..<300).contains(response.status) else {
            throw .http(status: response.status, message: errorMessage(response))
        }
        do { return try JSONValue.parse(response.body) } catch { throw .invalidResponse("the server's answer is not JSON") }
    }

    /// Sends with retries on timeouts, dropped connections, 429 (after Retry-After) and 5xx.
    /// Only a 2xx response is returned.
    public func send(_ request: HTTPRequest, cancellation: CancellationToken?,
                     onRetry: (@Sendable (RetryNotice) -> Void)?) throws(LLMError) -> HTTPResponse {
        var attempt = 0
        while true {
            if cancellation?.isCancelled == true { throw .cancelled }
            let outcome: Result<HTTPResponse, HTTPFailure>
            do {
                let response = try limiter.run { () throws(HTTPFailure) -> HTTPResponse in
                    try transport.send(request, cancellation: cancellation)
                }
                outcome = .success(response)
            } catch {
                outcome = .failure(error)
            }
            let error: LLMError
            let retryAfter: Double?
            let retryable: Bool
            switch outcome {
            case .success(let response) where (200..<300).contains(response.status):
                return response
            case .success(let response):
                error = .http(status: response.status, message: errorMessage(response))
                retryAfter = RetryPolicy.retryAfterSeconds(response.headers["retry-after"])
                retryable = RetryPolicy.isRetryable(status: response.status)
            case .failure(.cancelled):
                throw .cancelled
            case .failure(let failure):
                error = .transport(failure)
                retryAfter = nil
                retryable = failure.isTransient
            }
            guard retryable,
                  let delay = endpoint.retry.delay(afterAttempt: attempt, retryAfterSeconds: retryAfter, unitRandom: unitRandom())
            else { throw error }
            onRetry?(RetryNotice(attempt: attempt + 1, reason: Self.shortReason(error), delaySeconds: delay))
            if !sleep(delay, cancellation) { throw .cancelled }
            attempt += 1
        }
    }

    func headers(json: Bool) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("Accept", "application/json"), ("User-Agent", "annotty/\(AnnottyCore.version)")]
        if json { headers.append(("Content-Type", "application/json")) }
        if let key = endpoint.apiKey { headers.append(("Authorization", "Bearer \(key)")) }
        return headers
    }

    /// The server's error message (OpenAI style `{"error": {"message": ...}}` or the body's
    /// start), with the API key removed should a server echo it back.
    func errorMessage(_ response: HTTPResponse) -> String {
        var message = String(response.bodyText.prefix(300))
        if let json = try? JSONValue.parse(response.body),
           let text = json["error"]?["message"]?.stringValue ?? json["error"]?.stringValue ?? json["message"]?.stringValue {
            message = text
        }
        message = message.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return redact(String(message.prefix(160)))
    }

    /// Removes the API key from text that came from the server before it is stored or shown.
    public func redact(_ text: String) -> String {
        guard let key = endpoint.apiKey, key.count >= 4 else { return text }
        return text.replacingOccurrences(of: key, with: "[redacted]")
    }

    static func shortReason(_ error: LLMError) -> String {
        switch error {
        case .http(let status, _): return "HTTP \(status)"
        default: return error.description
        }
    }
}
