import Foundation

/// When to try a request again, and how long to wait first: exponential backoff with full
/// jitter (a random wait between 0 and base * 2^attempt, capped), so that many clients hit by
/// the same outage do not retry in lock step; a server's Retry-After is honoured as given.
public struct RetryPolicy: Sendable {
    public var maxRetries: Int
    public var baseDelaySeconds: Double
    public var maxDelaySeconds: Double
    /// The longest Retry-After obeyed; a server asking for more makes the request fail now.
    public var maxRetryAfterSeconds: Double

    public init(maxRetries: Int = 3, baseDelaySeconds: Double = 0.5, maxDelaySeconds: Double = 30,
                maxRetryAfterSeconds: Double = 120) {
        self.maxRetries = maxRetries
        self.baseDelaySeconds = baseDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.maxRetryAfterSeconds = maxRetryAfterSeconds
    }

    /// Statuses that mean "not now" rather than "never": request timeout, too early, too many
    /// requests, and server-side errors.
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 425 || status == 429 || (500...599).contains(status)
    }

    /// The wait before retry number `attempt + 1` (attempt counts from 0), or nil to give up.
    /// `unitRandom` is a number in [0, 1).
    public func delay(afterAttempt attempt: Int, retryAfterSeconds: Double?, unitRandom: Double) -> Double? {
        guard attempt < maxRetries else { return nil }
        if let retryAfterSeconds {
            guard retryAfterSeconds <= maxRetryAfterSeconds else { return nil }
            return max(0, retryAfterSeconds)
        }
        let ceiling = min(maxDelaySeconds, baseDelaySeconds * pow(2, Double(attempt)))
        return ceiling * min(max(unitRandom, 0), 1)
    }

    /// Reads a Retry-After header: whole seconds or an HTTP date.
    public static func retryAfterSeconds(_ header: String?, now: Date = Date()) -> Double? {
        guard let value = header?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
