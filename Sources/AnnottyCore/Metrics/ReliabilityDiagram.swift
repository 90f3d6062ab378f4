/// Which side of an equal-width bin is closed.
///
/// Edges are computed as numpy's `linspace(0, 1, N + 1)` does (i × (1/N), last edge exactly 1), so
/// edge 6 of 10 is 0.6000000000000001, not 0.6. Values that sit exactly on a bin edge (vote shares
/// of ten votes are multiples of 0.1) therefore land where the Python reference tools put them: with
/// `.lowerInclusive` a share of 0.6 falls *below* that edge, into [0.5, 0.6000000000000001).
/// On RTE the majority-vote shares (ties to class 1) give ECE 0.1691 with (lo, hi] and 0.1254 with
/// [lo, hi) for exactly this reason; with exact tenths as edges both conventions would give 0.1691.
public enum BinEdgeConvention: String, Sendable, Codable, CaseIterable {
    /// (lo, hi]: a value on an edge belongs to the bin below; 0 goes to the first bin.
    case upperInclusive
    /// [lo, hi): a value on an edge belongs to the bin above; 1 goes to the last bin.
    case lowerInclusive

    /// "(lo,hi]" or "[lo,hi)".
    public var notation: String { self == .upperInclusive ? "(lo,hi]" : "[lo,hi)" }
}

/// One bin of a reliability diagram.
public struct ReliabilityBin: Sendable, Codable, Hashable {
    public let lower: Double
    public let upper: Double
    public let count: Int
    /// Mean confidence of the bin's predictions; 0 for an empty bin.
    public let meanConfidence: Double
    /// Fraction of the bin's predictions that were correct; 0 for an empty bin.
    public let accuracy: Double

    public init(lower: Double, upper: Double, count: Int, meanConfidence: Double, accuracy: Double) {
        self.lower = lower
        self.upper = upper
        self.count = count
        self.meanConfidence = meanConfidence
        self.accuracy = accuracy
    }
}

/// Equal-width reliability bins over (confidence, correct) pairs, and the calibration errors they give.
///
/// Typical pairs: for a probabilistic aggregate (Dawid-Skene) confidence = max posterior and
/// correct = argmax == gold; for majority vote confidence = the vote share of the chosen label and
/// correct = chosen label == gold (`MajorityVote.calibrationPairs`).
public struct ReliabilityDiagram: Sendable, Codable, Hashable {
    public let bins: [ReliabilityBin]
    public let convention: BinEdgeConvention
    /// Number of pairs binned.
    public let total: Int

    /// - Throws: `MetricsError.lengthMismatch`, `.empty`, or `.invalidArgument` for a bin count below 1
    ///   or a confidence outside [0, 1] (NaN included).
    public init(confidences: [Double], correct: [Bool], binCount: Int = 10,
                convention: BinEdgeConvention = .upperInclusive) throws {
        guard confidences.count == correct.count else {
            throw MetricsError.lengthMismatch(confidences.count, correct.count)
        }
        guard !confidences.isEmpty else { throw MetricsError.empty }
        guard binCount >= 1 else { throw MetricsError.invalidArgument("binCount must be at least 1") }
        let edges = Self.edges(binCount: binCount)
        var counts = Array(repeating: 0, count: binCount)
        var confidenceSums = Array(repeating: 0.0, count: binCount)
        var correctCounts = Array(repeating: 0, count: binCount)
        for (confidence, isCorrect) in zip(confidences, correct) {
            guard confidence >= 0, confidence <= 1 else {
                throw MetricsError.invalidArgument("confidence \(confidence) outside [0, 1]")
            }
            let bin = Self.binIndex(of: confidence, edges: edges, convention: convention)
            counts[bin] += 1
            confidenceSums[bin] += confidence
            if isCorrect { correctCounts[bin] += 1 }
        }
        self.bins = (0..<binCount).map { b in
            let n = counts[b]
            return ReliabilityBin(
                lower: edges[b], upper: edges[b + 1], count: n,
                meanConfidence: n == 0 ? 0 : confidenceSums[b] / Double(n),
                accuracy: n == 0 ? 0 : Double(correctCounts[b]) / Double(n))
        }
        self.convention = convention
        self.total = confidences.count
    }

    /// Bin edges as numpy `linspace(0, 1, binCount + 1)`: i × (1/binCount), the last one exactly 1.
    public static func edges(binCount: Int) -> [Double] {
        let step = 1.0 / Double(binCount)
        return (0...binCount).map { $0 == binCount ? 1.0 : Double($0) * step }
    }

    static func binIndex(of confidence: Double, edges: [Double], convention: BinEdgeConvention) -> Int {
        let binCount = edges.count - 1
        switch convention {
        case .upperInclusive:
            for b in 0..<binCount where confidence <= edges[b + 1] { return b }
            return binCount - 1
        case .lowerInclusive:
            for b in stride(from: binCount - 1, through: 0, by: -1) where confidence >= edges[b] { return b }
            return 0
        }
    }

    /// ECE = Σ_b (n_b / N) · |accuracy_b − mean confidence_b|.
    public var expectedCalibrationError: Double {
        bins.reduce(0) { $0 + Double($1.count) / Double(total) * abs($1.accuracy - $1.meanConfidence) }
    }

    /// MCE = the largest |accuracy_b − mean confidence_b| over non-empty bins.
    public var maximumCalibrationError: Double {
        bins.filter { $0.count > 0 }.map { abs($0.accuracy - $0.meanConfidence) }.max() ?? 0
    }
}
