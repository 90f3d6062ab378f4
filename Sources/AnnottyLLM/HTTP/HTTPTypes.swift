import Foundation

/// How long a request may take: to connect, between two received bytes, and in all.
public struct HTTPTimeouts: Sendable, Equatable {
    public var connectSeconds: Double
    public var idleSeconds: Double
    public var totalSeconds: Double

    public init(connectSeconds: Double = 5, idleSeconds: Double = 20, totalSeconds: Double = 60) {
        self.connectSeconds = connectSeconds
        self.idleSeconds = idleSeconds
        self.totalSeconds = totalSeconds
    }
}

public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    /// Header lines in order. May hold a secret (Authorization): never log or print them.
    public var headers: [(name: String, value: String)]
    public var body: Data?
    public var timeouts: HTTPTimeouts

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
                body: Data? = nil, timeouts: HTTPTimeouts = HTTPTimeouts()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
    }
}

public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Header names in lower case; the last value wins when a name repeats.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Why no HTTP response arrived. Descriptions are short and human, for the status line; they
/// name the `[llm]` setting of annotty.toml to look at, and never include the request's headers
/// (which may carry the API key).
public enum HTTPFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case connectTimeout(seconds: Double)
    /// The server stopped sending for `seconds`.
    case idleTimeout(seconds: Double)
    case totalTimeout(seconds: Double)
    case connectionRefused
    /// The host name in the URL does not resolve.
    case cannotResolve(host: String)
    /// The connection closed or reset before a whole response arrived.
    case connectionReset
    /// The response grew past the transport's cap and was abandoned.
    case responseTooLarge(limitBytes: Int)
    case cancelled
    case other(String)

    public var description: String {
        switch self {
        case .connectTimeout(let seconds):
            return "could not connect within \(HTTPFailure.format(seconds)) s (check base_url in [llm]; connect_timeout_s)"
        case .idleTimeout(let seconds):
            return "no data for \(HTTPFailure.format(seconds)) s (raise idle_timeout_s in [llm] for a slow server)"
        case .totalTimeout(let seconds):
            return "timed out after \(HTTPFailure.format(seconds)) s (raise total_timeout_s in [llm] for a slow server)"
        case .connectionRefused: return "connection refused (is the server at base_url in [llm] running?)"
        case .cannotResolve(let host): return "cannot resolve host \"\(host)\" (check base_url in [llm])"
        case .connectionReset: return "connection reset by the server"
        case .responseTooLarge(let limit):
            return "response larger than the \(HTTPFailure.formatBytes(limit)) cap; abandoned (check max_tokens in [llm])"
        case .cancelled: return "cancelled"
        case .other(let reason): return reason
        }
    }

    /// Worth another try: the next attempt may well succeed. A request that timed out after it
    /// was sent is not: the server is most likely still working on it, and sending it again
    /// only queues the same work behind itself (a server answering after 60 s got every item
    /// four times). The message names the timeout to raise instead.
    public var isTransient: Bool {
        switch self {
        case .connectTimeout, .connectionRefused, .connectionReset, .cannotResolve: return true
        case .idleTimeout, .totalTimeout, .responseTooLarge, .cancelled, .other: return false
        }
    }

    /// The server could not be reached at all (nothing was sent): a run of these means the
    /// endpoint is down or misconfigured, not that one item is troublesome.
    public var meansUnreachable: Bool {
        switch self {
        case .connectTimeout, .connectionRefused, .cannotResolve: return true
        default: return false
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }

    static func formatBytes(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}

/// Sends one HTTP request and waits for the whole response on the calling thread.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, cancellation: CancellationToken?) throws(HTTPFailure) -> HTTPResponse
}
