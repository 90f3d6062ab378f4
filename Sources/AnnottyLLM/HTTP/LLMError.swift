import Foundation

/// Why an LLM call gave no usable answer. `description` is short enough for the status line and
/// never contains the API key (the client redacts server text before it gets here).
public enum LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    case transport(HTTPFailure)
    /// A non-2xx answer, with the start of its body for diagnosis.
    case http(status: Int, message: String)
    /// The server answered 2xx but not with what the API promises.
    case invalidResponse(String)
    case cancelled
    /// The local server could not be started or is gone.
    case serverUnavailable(String)

    public var description: String {
        switch self {
        case .transport(let failure): return failure.description
        case .http(let status, let message):
            return message.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(message)"
        case .invalidResponse(let reason): return "invalid response: \(reason)"
        case .cancelled: return "cancelled"
        case .serverUnavailable(let reason): return reason
        }
    }

    public var isCancellation: Bool {
        if case .cancelled = self { return true }
        if case .transport(.cancelled) = self { return true }
        return false
    }
}

/// A retry about to happen, for the status line ("HTTP 429, retrying in 4 s").
public struct RetryNotice: Sendable, Equatable {
    public var attempt: Int
    public var reason: String
    public var delaySeconds: Double

    public var description: String {
        "\(reason), retrying in \(HTTPFailure.format((delaySeconds * 10).rounded() / 10)) s"
    }
}
