/// A two-sided confidence interval for a binomial rate (e.g. an audited error rate).
public struct BinomialInterval: Sendable, Codable, Hashable {
    public enum Method: String, Sendable, Codable, CaseIterable {
        /// Wilson score interval (statsmodels `proportion_confint(method='wilson')`).
        case wilson
        /// Clopper-Pearson exact interval from Beta quantiles (statsmodels `method='beta'`):
        /// never below nominal coverage, wider than Wilson.
        case clopperPearson
    }

    public let successes: Int
    public let trials: Int
    /// Two-sided confidence level, e.g. 0.95.
    public let confidence: Double
    public let method: Method
    public let lower: Double
    public let upper: Double

    /// successes / trials.
    public var rate: Double { Double(successes) / Double(trials) }

    /// - Throws: `MetricsError.invalidArgument` unless 0 ≤ successes ≤ trials, trials ≥ 1 and
    ///   0 < confidence < 1.
    public init(successes: Int, trials: Int, confidence: Double = 0.95, method: Method = .wilson) throws {
        guard trials >= 1, successes >= 0, successes <= trials else {
            throw MetricsError.invalidArgument("need 0 ≤ successes ≤ trials and trials ≥ 1")
        }
        guard confidence > 0, confidence < 1 else { throw MetricsError.invalidArgument("confidence must lie in (0, 1)") }
        self.successes = successes
        self.trials = trials
        self.confidence = confidence
        self.method = method
        (lower, upper) = Self.bounds(successes: Double(successes), trials: Double(trials),
                                     confidence: confidence, method: method)
    }

    public static func wilson(successes: Int, trials: Int, confidence: Double = 0.95) throws -> BinomialInterval {
        try BinomialInterval(successes: successes, trials: trials, confidence: confidence, method: .wilson)
    }

    public static func clopperPearson(successes: Int, trials: Int, confidence: Double = 0.95) throws -> BinomialInterval {
        try BinomialInterval(successes: successes, trials: trials, confidence: confidence, method: .clopperPearson)
    }

    /// Bounds for a possibly fractional success count (used to project future audits).
    static func bounds(successes x: Double, trials n: Double, confidence: Double,
                       method: Method) -> (lower: Double, upper: Double) {
        let alpha = 1 - confidence
        switch method {
        case .wilson:
            let z = SpecialFunctions.normalQuantile(1 - alpha / 2)
            let p = x / n
            let z2 = z * z
            let denominator = 1 + z2 / n
            let centre = (p + z2 / (2 * n)) / denominator
            let halfWidth = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
            return (x <= 0 ? 0 : max(0, centre - halfWidth), x >= n ? 1 : min(1, centre + halfWidth))
        case .clopperPearson:
            let lower = x <= 0 ? 0 : SpecialFunctions.inverseRegularizedIncompleteBeta(alpha / 2, a: x, b: n - x + 1)
            let upper = x >= n ? 1 : SpecialFunctions.inverseRegularizedIncompleteBeta(1 - alpha / 2, a: x + 1, b: n - x)
            return (lower, upper)
        }
    }

    /// How many more audits it takes, if errors keep occurring at `observedRate`, before the upper end
    /// of the two-sided interval falls below `target`.
    ///
    /// Finds the smallest total n ≥ max(`alreadyAudited`, 1) with upper(observedRate · n errors, n) <
    /// target (a fractional error count, so the answer does not jump with rounding) and returns
    /// n − `alreadyAudited`: 0 when the audits so far already suffice.
    /// - Returns: nil when the target cannot be reached (observedRate ≥ target) or needs more than
    ///   `limit` audits in total.
    public static func samplesNeeded(toBoundErrorBelow target: Double, observedRate: Double,
                                     confidence: Double = 0.95, alreadyAudited: Int = 0,
                                     method: Method = .wilson, limit: Int = 10_000_000) -> Int? {
        guard target > 0, target <= 1, observedRate >= 0, observedRate < target,
              confidence > 0, confidence < 1 else { return nil }
        func upper(_ n: Int) -> Double {
            bounds(successes: observedRate * Double(n), trials: Double(n), confidence: confidence, method: method).upper
        }
        let start = max(alreadyAudited, 1)
        if upper(start) < target { return start - alreadyAudited }
        // The upper bound shrinks as n grows at a fixed rate: double until below, then bisect.
        var low = start, high = start
        while upper(high) >= target {
            guard high < limit else { return nil }
            low = high
            high = min(high * 2, limit)
        }
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if upper(middle) < target { high = middle } else { low = middle }
        }
        return high - alreadyAudited
    }
}
