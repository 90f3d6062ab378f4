import Foundation

/// Items per hour over the last minutes of this session.
public struct ThroughputMeter: Sendable, Equatable {
    /// The window the rate is measured over.
    public static let window: TimeInterval = 600
    /// Rates over less time than this are too noisy to show.
    public static let minimumSpan: TimeInterval = 60

    public private(set) var startedAt: TimeInterval?
    public private(set) var decisionTimes: [TimeInterval] = []

    public init() {}

    public mutating func start(at time: TimeInterval) {
        if startedAt == nil { startedAt = time }
    }

    public mutating func record(at time: TimeInterval) {
        start(at: time)
        decisionTimes.append(time)
        decisionTimes.removeAll { $0 < time - Self.window }
    }

    public mutating func removeLast() {
        if !decisionTimes.isEmpty { decisionTimes.removeLast() }
    }

    /// Decisions in the window scaled to an hour; the span is at least a minute, so the first
    /// few quick decisions do not read as thousands an hour.
    public func itemsPerHour(at now: TimeInterval) -> Double? {
        guard let startedAt, !decisionTimes.isEmpty else { return nil }
        let windowStart = max(startedAt, now - Self.window)
        let count = decisionTimes.filter { $0 >= windowStart && $0 <= now }.count
        let span = max(Self.minimumSpan, now - windowStart)
        return Double(count) / span * 3600
    }
}
