/// Isotonic regression of outcome on confidence by pool-adjacent-violators, as scikit-learn's
/// `IsotonicRegression(out_of_bounds='clip')`: equal confidences are pooled first, the fitted
/// step values are joined by straight lines between thresholds, and clamped outside them.
public struct IsotonicCalibration: Sendable, Codable, Hashable {
    /// Ascending distinct confidences kept as knots.
    public let thresholds: [Double]
    /// Non-decreasing fitted values at `thresholds`.
    public let values: [Double]

    public init(thresholds: [Double], values: [Double]) {
        self.thresholds = thresholds
        self.values = values
    }

    /// Fits the calibration map from top-label confidence to the probability of being correct.
    public static func fit(confidences: [Double], correct: [Bool]) throws -> IsotonicCalibration {
        try fit(confidences, correct.map { $0 ? 1.0 : 0.0 })
    }

    /// The calibration map kept away from certainty: each run of outcomes that the fit pools into
    /// one value (n outcomes) is clipped to [1/(n+2), (n+1)/(n+2)], Laplace's bounds, and the
    /// clipped values are pooled again where clipping broke the order. A block of three wrong
    /// answers then says 0.2, not 0: a handful of outcomes never makes a confidence of 0 or 1.
    public static func fitBoundedAwayFromCertainty(confidences: [Double], correct: [Bool]) throws -> IsotonicCalibration {
        let plain = try fit(confidences: confidences, correct: correct)
        // Outcomes that share a fitted value belong to one pooled block (adjacent equal blocks
        // have equal means, so treating them as one changes nothing but widens the bounds less).
        let fitted = confidences.map { plain.calibratedConfidence($0) }
        var blockSize: [Double: Int] = [:]
        for value in fitted { blockSize[value, default: 0] += 1 }
        let clipped = fitted.map { value -> Double in
            let n = Double(blockSize[value] ?? 1)
            return min(max(value, 1 / (n + 2)), (n + 1) / (n + 2))
        }
        return try fit(confidences, clipped)
    }

    /// Weighted least-squares non-decreasing fit of `y` on `x`.
    /// - Throws: `MetricsError.lengthMismatch`, `.empty`, `.invalidArgument` for non-finite input or
    ///   non-positive weights.
    public static func fit(_ x: [Double], _ y: [Double], weights: [Double]? = nil) throws -> IsotonicCalibration {
        guard x.count == y.count else { throw MetricsError.lengthMismatch(x.count, y.count) }
        if let weights, weights.count != x.count { throw MetricsError.lengthMismatch(x.count, weights.count) }
        guard !x.isEmpty else { throw MetricsError.empty }
        let w = weights ?? Array(repeating: 1, count: x.count)
        guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite), w.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw MetricsError.invalidArgument("isotonic fit needs finite values and positive weights")
        }
        // Pool equal x first, so each distinct x becomes one weighted point.
        let order = x.indices.sorted { x[$0] < x[$1] }
        var pointX: [Double] = []
        var pointWeightedY: [Double] = []
        var pointWeight: [Double] = []
        for index in order {
            if let last = pointX.last, last == x[index] {
                pointWeightedY[pointWeightedY.count - 1] += w[index] * y[index]
                pointWeight[pointWeight.count - 1] += w[index]
            } else {
                pointX.append(x[index])
                pointWeightedY.append(w[index] * y[index])
                pointWeight.append(w[index])
            }
        }
        // Pool adjacent violators: a stack of blocks, each (Σwy, Σw, number of points).
        var blocks: [(weightedY: Double, weight: Double, size: Int)] = []
        for point in pointX.indices {
            blocks.append((pointWeightedY[point], pointWeight[point], 1))
            while blocks.count > 1 {
                let last = blocks[blocks.count - 1], previous = blocks[blocks.count - 2]
                guard previous.weightedY / previous.weight > last.weightedY / last.weight else { break }
                blocks.removeLast(2)
                blocks.append((previous.weightedY + last.weightedY, previous.weight + last.weight,
                               previous.size + last.size))
            }
        }
        var fitted: [Double] = []
        for block in blocks {
            fitted.append(contentsOf: Array(repeating: block.weightedY / block.weight, count: block.size))
        }
        // Interior knots flat on both sides change nothing under linear interpolation: drop them.
        var keptX: [Double] = []
        var keptY: [Double] = []
        for index in pointX.indices {
            let flatBefore = index > 0 && fitted[index - 1] == fitted[index]
            let flatAfter = index < pointX.count - 1 && fitted[index + 1] == fitted[index]
            if flatBefore && flatAfter { continue }
            keptX.append(pointX[index])
            keptY.append(fitted[index])
        }
        return IsotonicCalibration(thresholds: keptX, values: keptY)
    }

    /// The fitted value at `confidence`: linear between knots, clamped beyond the first and last.
    public func calibratedConfidence(_ confidence: Double) -> Double {
        guard let firstX = thresholds.first, let lastX = thresholds.last,
              let firstY = values.first, let lastY = values.last else { return confidence }
        if confidence <= firstX { return firstY }
        if confidence >= lastX { return lastY }
        var low = 0, high = thresholds.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if thresholds[middle] <= confidence { low = middle } else { high = middle }
        }
        let span = thresholds[high] - thresholds[low]
        let fraction = (confidence - thresholds[low]) / span
        return values[low] + fraction * (values[high] - values[low])
    }

    /// Calibrates the top-label probability of a probability vector.
    public func calibratedConfidence(probabilities: [Double]) -> Double {
        calibratedConfidence(probabilities.max() ?? 0)
    }
}
