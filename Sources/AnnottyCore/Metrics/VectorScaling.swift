import Foundation

/// Vector scaling (Guo et al. 2017; the bias half is "calibrate before use", Zhao et al. 2021):
/// calibrated = softmax(a ⊙ log p + b), one scale and one bias per label. Unlike temperature
/// scaling it can move probability from a label the model prefers for no reason to the others,
/// so the calibrated argmax may differ from the raw one: a model that always leans to one label
/// but ranks items well becomes useful.
public struct VectorScaling: Sendable, Codable, Hashable {
    public let scales: [Double]
    public let biases: [Double]

    /// Strength of the L2 pull toward the identity (scales 1, biases 0), added to the summed log
    /// loss: the weight of about one example per parameter, light against hundreds of outcomes and
    /// enough to keep a label never seen among the outcomes from running off to −∞.
    public static let defaultRegularization = 1.0

    public init(scales: [Double], biases: [Double]) {
        precondition(scales.count == biases.count, "one scale and one bias per label")
        self.scales = scales
        self.biases = biases
    }

    public static func identity(labelCount: Int) -> VectorScaling {
        VectorScaling(scales: Array(repeating: 1, count: labelCount), biases: Array(repeating: 0, count: labelCount))
    }

    public var labelCount: Int { scales.count }

    /// Fits scales and biases by minimising Σ −log softmax(a ⊙ log p_i + b)[y_i] + λ/2 (‖a − 1‖² + ‖b‖²)
    /// with L-BFGS (the objective is convex in (a, b)).
    /// - Throws: `MetricsError.lengthMismatch`, `.empty`, `.labelOutOfRange`, `.invalidArgument` for
    ///   vectors of different lengths or non-finite entries.
    public static func fit(_ probabilities: [[Double]], labels: [Int],
                           regularization: Double = defaultRegularization) throws -> VectorScaling {
        guard probabilities.count == labels.count else { throw MetricsError.lengthMismatch(probabilities.count, labels.count) }
        guard let classes = probabilities.first?.count, classes > 0 else { throw MetricsError.empty }
        guard probabilities.allSatisfy({ $0.count == classes && $0.allSatisfy(\.isFinite) }) else {
            throw MetricsError.invalidArgument("every probability vector must be finite and of the same length")
        }
        for label in labels where label < 0 || label >= classes { throw MetricsError.labelOutOfRange(label) }
        let logs = probabilities.map { Self.logProbabilities($0) }
        let objective: ([Double], inout [Double]) -> Double = { parameters, gradient in
            var loss = 0.0
            for k in 0..<(2 * classes) { gradient[k] = 0 }
            var logits = [Double](repeating: 0, count: classes)
            for (row, label) in zip(logs, labels) {
                var top = -Double.infinity
                for k in 0..<classes {
                    logits[k] = parameters[k] * row[k] + parameters[classes + k]
                    top = max(top, logits[k])
                }
                var total = 0.0
                for k in 0..<classes { total += exp(logits[k] - top) }
                let logTotal = log(total) + top
                loss += logTotal - logits[label]
                for k in 0..<classes {
                    let residual = exp(logits[k] - logTotal) - (k == label ? 1 : 0)
                    gradient[k] += residual * row[k]
                    gradient[classes + k] += residual
                }
            }
            for k in 0..<classes {
                let scaleOffset = parameters[k] - 1, bias = parameters[classes + k]
                loss += regularization / 2 * (scaleOffset * scaleOffset + bias * bias)
                gradient[k] += regularization * scaleOffset
                gradient[classes + k] += regularization * bias
            }
            return loss
        }
        var minimizer = LBFGSMinimizer()
        minimizer.maximumIterations = 200
        let start = Array(repeating: 1.0, count: classes) + Array(repeating: 0.0, count: classes)
        let point = minimizer.minimize(start: start, objective: objective).point
        return VectorScaling(scales: Array(point[0..<classes]), biases: Array(point[classes...]))
    }

    /// The calibrated probability vector; a vector of another length is returned unchanged
    /// (the label set changed since the fit).
    public func calibrated(_ probabilities: [Double]) -> [Double] {
        guard probabilities.count == labelCount else { return probabilities }
        let logs = Self.logProbabilities(probabilities)
        let logits = (0..<labelCount).map { scales[$0] * logs[$0] + biases[$0] }
        return TemperatureScaling.softmax(logits, scale: 1)
    }

    static func logProbabilities(_ probabilities: [Double]) -> [Double] {
        probabilities.map { log(max($0, TemperatureScaling.probabilityFloor)) }
    }
}
