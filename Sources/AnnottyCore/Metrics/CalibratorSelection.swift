/// One prediction to calibrate: its probability vector and the true class.
public struct CalibrationSample: Sendable, Codable, Hashable {
    public var probabilities: [Double]
    public var label: Int

    public init(probabilities: [Double], label: Int) {
        self.probabilities = probabilities
        self.label = label
    }

    /// Top-label probability.
    public var confidence: Double { probabilities.max() ?? 0 }
    /// Whether the argmax (lowest index on ties) is the true class.
    public var isCorrect: Bool {
        guard let top = probabilities.max() else { return false }
        return probabilities.firstIndex(of: top) == label
    }
}

/// Fits temperature scaling and isotonic regression on a training split and keeps the one with the
/// lower held-out log loss of top-label confidence against top-label correctness.
public struct CalibratorSelection: Sendable, Codable, Hashable {
    /// The winner (temperature on an exact tie: one parameter over many).
    public let calibrator: Calibrator
    public let temperature: TemperatureScaling
    public let isotonic: IsotonicCalibration
    /// Held-out binary log loss of the raw confidences, for reference.
    public let uncalibratedLogLoss: Double
    public let temperatureLogLoss: Double
    public let isotonicLogLoss: Double
    public let trainingCount: Int
    public let heldOutCount: Int

    /// - Parameters:
    ///   - heldOutFraction: share of samples held out, rounded, at least one each side.
    ///   - seed: the split is a seeded Fisher-Yates shuffle (`SeededGenerator`), so the same
    ///     samples and seed always give the same split and choice.
    /// - Throws: `MetricsError.invalidArgument` with fewer than two samples or a fraction outside (0, 1);
    ///   errors from the fits (e.g. a label outside its vector).
    public static func choose(_ samples: [CalibrationSample], heldOutFraction: Double = 0.3,
                              seed: UInt64 = 0) throws -> CalibratorSelection {
        try choose(
            vectors: samples.map(\.probabilities), labels: samples.map(\.label),
            topIndices: samples.map { sample in
                sample.probabilities.max().flatMap { sample.probabilities.firstIndex(of: $0) } ?? 0
            },
            heldOutFraction: heldOutFraction, seed: seed)
    }

    /// The same choice from top-label confidences alone: each becomes the vector
    /// [confidence, 1 − confidence] whose first entry is the true class when `correct` is true
    /// (so a confidence below 0.5, possible with three or more classes, is still the top label's).
    public static func choose(confidences: [Double], correct: [Bool], heldOutFraction: Double = 0.3,
                              seed: UInt64 = 0) throws -> CalibratorSelection {
        guard confidences.count == correct.count else {
            throw MetricsError.lengthMismatch(confidences.count, correct.count)
        }
        return try choose(
            vectors: confidences.map { [$0, 1 - $0] }, labels: correct.map { $0 ? 0 : 1 },
            topIndices: Array(repeating: 0, count: confidences.count),
            heldOutFraction: heldOutFraction, seed: seed)
    }

    /// `topIndices[i]` is the entry of `vectors[i]` whose calibrated value is the prediction's confidence.
    private static func choose(vectors: [[Double]], labels: [Int], topIndices: [Int], heldOutFraction: Double,
                               seed: UInt64) throws -> CalibratorSelection {
        guard vectors.count >= 2 else { throw MetricsError.invalidArgument("need at least two samples to split") }
        guard heldOutFraction > 0, heldOutFraction < 1 else {
            throw MetricsError.invalidArgument("heldOutFraction must lie in (0, 1)")
        }
        guard vectors.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isFinite) }) else {
            throw MetricsError.invalidArgument("every probability vector must be non-empty and finite")
        }
        var generator = SeededGenerator(seed: seed)
        let order = generator.shuffled(Array(vectors.indices))
        let heldOutCount = min(max(Int((Double(vectors.count) * heldOutFraction).rounded()), 1), vectors.count - 1)
        let heldOut = Array(order.prefix(heldOutCount))
        let training = Array(order.dropFirst(heldOutCount))
        let confidence = { (i: Int) in vectors[i][topIndices[i]] }
        let correct = { (i: Int) in topIndices[i] == labels[i] }

        let temperature = try TemperatureScaling.fit(training.map { vectors[$0] }, labels: training.map { labels[$0] })
        let isotonic = try IsotonicCalibration.fit(confidences: training.map(confidence), correct: training.map(correct))
        let outcomes = heldOut.map(correct)
        let uncalibrated = try ProbabilityScores.logLoss(confidences: heldOut.map(confidence), outcomes: outcomes)
        let temperatureLoss = try ProbabilityScores.logLoss(
            confidences: heldOut.map { temperature.calibrated(vectors[$0])[topIndices[$0]] }, outcomes: outcomes)
        let isotonicLoss = try ProbabilityScores.logLoss(
            confidences: heldOut.map { isotonic.calibratedConfidence(confidence($0)) }, outcomes: outcomes)
        return CalibratorSelection(
            calibrator: isotonicLoss < temperatureLoss ? .isotonic(isotonic) : .temperature(temperature),
            temperature: temperature, isotonic: isotonic,
            uncalibratedLogLoss: uncalibrated, temperatureLogLoss: temperatureLoss, isotonicLogLoss: isotonicLoss,
            trainingCount: training.count, heldOutCount: heldOut.count)
    }
}
