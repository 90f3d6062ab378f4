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
/// `{"kind":"isotonic","thresholds":[…],"values":[…]}`.
public enum Calibrator: ConfidenceCalibrator, Codable, Hashable {
    case identity
    case temperature(TemperatureScaling)
    case isotonic(IsotonicCalibration)

    public func calibratedConfidence(_ confidence: Double) -> Double {
        switch self {
        case .identity: return confidence
        case .temperature(let scaling): return scaling.calibratedConfidence(confidence)
        case .isotonic(let isotonic): return isotonic.calibratedConfidence(confidence)
        }
    }

    public func calibratedConfidence(probabilities: [Double]) -> Double {
        switch self {
        case .identity: return probabilities.max() ?? 0
        case .temperature(let scaling): return scaling.calibratedConfidence(probabilities: probabilities)
        case .isotonic(let isotonic): return isotonic.calibratedConfidence(probabilities: probabilities)
        }
    }

    /// "identity", "temperature" or "isotonic".
    public var kind: String {
        switch self {
        case .identity: return "identity"
        case .temperature: return "temperature"
        case .isotonic: return "isotonic"
        }
    }

    private enum CodingKeys: String, CodingKey { case kind, temperature, thresholds, values }

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
        }
    }
}
