import Foundation

/// What the annotator's status line says about the LLM. Produced by AnnottyLLM, drawn by
/// AnnottyTUI; it lives here because both need it and neither may import the other.
public struct LLMStatus: Sendable, Equatable {
    public enum State: String, Sendable {
        /// No model configured (provider = none).
        case off
        /// The local server is starting or the first request is in flight.
        case starting
        case ready
        /// Answers arrive, but slower than the annotator works.
        case slow
        /// Recent requests failed; `reason` says why.
        case failing
    }

    public var state: State
    /// A short, human reason: "HTTP 429, retrying in 4 s", "timed out after 20 s".
    public var reason: String?
    /// Items predicted ahead of the annotator and waiting in the queue.
    public var queueDepth: Int
    /// Median latency of recent requests, in milliseconds.
    public var medianLatencyMs: Double?

    public init(state: State, reason: String? = nil, queueDepth: Int = 0, medianLatencyMs: Double? = nil) {
        self.state = state
        self.reason = reason
        self.queueDepth = queueDepth
        self.medianLatencyMs = medianLatencyMs
    }

    public static let off = LLMStatus(state: .off)

    /// The model has answered and goes on answering ("ready" or "slow").
    public var isAnswering: Bool { state == .ready || state == .slow }
}
