/// What a calibrated model says about one item: the label (an index into the label set) and the
/// calibrated probability that it is right.
public struct CalibratedPrediction: Sendable, Hashable {
    public var index: Int
    public var confidence: Double

    public init(index: Int, confidence: Double) {
        self.index = index
        self.confidence = confidence
    }

    /// Index of the largest entry, the lowest one on ties; nil for an empty vector.
    static func argmax(_ values: [Double]) -> Int? {
        guard var best = values.indices.first else { return nil }
        for index in values.indices where values[index] > values[best] { best = index }
        return best
    }
}
