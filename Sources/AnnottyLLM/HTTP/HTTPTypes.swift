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
/// never include the request's headers (which may carry the API key).
public enum HTTPFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case connectTimeout(seconds: Double)
    /// The server stopped sending for `seconds`.
    case idleTimeout(seconds: Double)
    case totalTimeout(seconds: Double)
    case connectionRefused
    /// The connection closed or reset before a whole response arrived.
    case connectionReset
    case cancelled
    case other(String)

    public var description: String {
        switch self {
        case .connectTimeout(let seconds): return "could not connect within \(HTTPFailure.format(seconds)) s"
        case .idleTimeout(let seconds): return "no data for \(HTTPFailure.format(seconds)) s"
        case .totalTimeout(let seconds): return "timed out after \(HTTPFailure.format(seconds)) s"
        case .connectionRefused: return "connection refused"
        case .connectionReset: return "connection reset by the server"
        case .cancelled: return "cancelled"
        case .other(let reason): return reason
        }
    }

    /// Worth another try: the next attempt may well succeed.
    public var isTransient: Bool {
        switch self {
        case .cancelled, .other: return false
        default: return true
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}

/// Sends one HTTP request and waits for the whole response on the calling thread.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, cancellation: CancellationToken?) throws(HTTPFailure) -> HTTPResponse
}
