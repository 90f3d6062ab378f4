/// Something that maps a raw confidence to a calibrated probability of being correct.
public protocol ConfidenceCalibrator: Sendable {
    /// The calibrated probability that a prediction made with top-label `confidence` is correct.
    func calibratedConfidence(_ confidence: Double) -> Double
    /// The calibrated top-label probability of a full probability vector.
    func calibratedConfidence(probabilities: [Double]) -> Double
}

extension TemperatureScaling: ConfidenceCalibrator {}
extension IsotonicCalibration: ConfidenceCalibrator {}

/// A stored calibrator. JSON form (stable, for keeping in the project store):
/// `{"kind":"identity"}`, `{"kind":"temperature","temperature":1.7}`,
/// `{"kind":"isotonic","thresholds":[…],"values":[…]}`, `{"kind":"vector","scales":[…],"biases":[…]}`.
///
/// Temperature and isotonic (as `ModelCalibration` fits them) are top-label maps: they change the
/// confidence of the model's own label and never the label. Vector scaling recalibrates the whole
/// vector, so its top label may differ from the model's: use `calibratedPrediction(probabilities:)`
/// for what is shown and routed.
public enum Calibrator: ConfidenceCalibrator, Codable, Hashable {
    case identity
    case temperature(TemperatureScaling)
    case isotonic(IsotonicCalibration)
    case vectorScaling(VectorScaling)

    /// A lone top-label confidence. Vector scaling needs the whole vector, so it leaves a lone
    /// confidence as it is: callers that may hold a vector-scaling calibrator pass the vector.
    public func calibratedConfidence(_ confidence: Double) -> Double {
        switch self {
        case .identity, .vectorScaling: return confidence
        case .temperature(let scaling): return scaling.calibratedConfidence(confidence)
        case .isotonic(let isotonic): return isotonic.calibratedConfidence(confidence)
        }
    }

    /// The calibrated confidence of the calibrated top label.
    public func calibratedConfidence(probabilities: [Double]) -> Double {
        calibratedPrediction(probabilities: probabilities).confidence
    }

    /// The label to show and route (an index into the vector) and its calibrated confidence.
    /// Top-label maps keep the model's argmax (lowest index on ties); vector scaling takes the
    /// argmax of its calibrated vector.
    public func calibratedPrediction(probabilities: [Double]) -> CalibratedPrediction {
        switch self {
        case .identity:
            guard let top = CalibratedPrediction.argmax(probabilities) else { return CalibratedPrediction(index: 0, confidence: 0) }
            return CalibratedPrediction(index: top, confidence: probabilities[top])
        case .temperature, .isotonic:
            guard let top = CalibratedPrediction.argmax(probabilities) else { return CalibratedPrediction(index: 0, confidence: 0) }
            let vector = calibrated(probabilities: probabilities)
            return CalibratedPrediction(index: top, confidence: vector.indices.contains(top) ? vector[top] : 0)
        case .vectorScaling(let scaling):
            let vector = scaling.calibrated(probabilities)
            guard let top = CalibratedPrediction.argmax(vector) else { return CalibratedPrediction(index: 0, confidence: 0) }
            return CalibratedPrediction(index: top, confidence: vector[top])
        }
    }

    /// The whole calibrated vector, summing to 1. A top-label map sets the top entry to its
    /// calibrated confidence and shares the rest among the other labels in their raw proportions
    /// (evenly when they were all zero); this is the form held-out log loss is measured on.
    /// A top-label map never changes the label, so where its confidence would leave the top entry
    /// below another it is raised just above it (s / (1 − c + s) for raw top c and runner-up s):
    /// the vector's top entry is then the confidence shown, and only for items far below any
    /// auto-accept threshold does it differ from the map's own value.
    public func calibrated(probabilities: [Double]) -> [Double] {
        let total = probabilities.reduce(0, +)
        guard !probabilities.isEmpty, total > 0 else { return probabilities }
        let normalised = probabilities.map { $0 / total }
        switch self {
        case .identity:
            return normalised
        case .vectorScaling(let scaling):
            return scaling.calibrated(normalised)
        case .temperature, .isotonic:
            guard normalised.count > 1, let top = CalibratedPrediction.argmax(normalised) else { return normalised }
            let others = 1 - normalised[top]
            let runnerUp = normalised.indices.filter { $0 != top }.map { normalised[$0] }.max() ?? 0
            // A hair above the tie, so that an argmax of the vector (lowest index on ties) keeps the label too.
            let keepsTop = (others > 0 ? runnerUp / (others + runnerUp) : 1 / Double(normalised.count)) * (1 + 1e-9)
            let confidence = min(1, max(keepsTop, calibratedConfidence(normalised[top])))
            return normalised.indices.map { index in
                if index == top { return confidence }
                return others > 0 ? normalised[index] / others * (1 - confidence)
                    : (1 - confidence) / Double(normalised.count - 1)
            }
        }
    }

    /// "identity", "temperature", "isotonic" or "vector".
    public var kind: String {
        switch self {
        case .identity: return "identity"
        case .temperature: return "temperature"
        case .isotonic: return "isotonic"
        case .vectorScaling: return "vector"
        }
    }

    private enum CodingKeys: String, CodingKey { case kind, temperature, thresholds, values, scales, biases }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        switch kind {
        case "identity":
            self = .identity
        case "temperature":
            self = .temperature(TemperatureScaling(temperature: try container.decode(Double.self, forKey: .temperature)))
        case "isotonic":
            let thresholds = try container.decode([Double].self, forKey: .thresholds)
            let values = try container.decode([Double].self, forKey: .values)
            guard thresholds.count == values.count else {
                throw DecodingError.dataCorruptedError(
                    forKey: .values, in: container, debugDescription: "isotonic thresholds and values differ in length")
            }
            self = .isotonic(IsotonicCalibration(thresholds: thresholds, values: values))
        case "vector":
            let scales = try container.decode([Double].self, forKey: .scales)
            let biases = try container.decode([Double].self, forKey: .biases)
            guard scales.count == biases.count else {
                throw DecodingError.dataCorruptedError(
                    forKey: .biases, in: container, debugDescription: "vector scaling scales and biases differ in length")
            }
            self = .vectorScaling(VectorScaling(scales: scales, biases: biases))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown calibrator kind \"\(kind)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        switch self {
        case .identity:
            break
        case .temperature(let scaling):
            try container.encode(scaling.temperature, forKey: .temperature)
        case .isotonic(let isotonic):
            try container.encode(isotonic.thresholds, forKey: .thresholds)
            try container.encode(isotonic.values, forKey: .values)
        case .vectorScaling(let scaling):
            try container.encode(scaling.scales, forKey: .scales)
            try container.encode(scaling.biases, forKey: .biases)
        }
    }
}
