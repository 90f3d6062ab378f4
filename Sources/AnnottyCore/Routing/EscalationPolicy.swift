/// Which items a cascade sends to its stronger tier: open items, front of the queue first, whose
/// latest pre-label is the cheap model's and is unusable, pooled below `escalateBelow`, or one
/// the LLM and the task learner disagree on. Pure, so the loop and its tests share it.
public struct EscalationPolicy: Sendable, Equatable {
    public var cheapModel: String
    public var escalateBelow: Double
    public var limit: Int

    public init(cheapModel: String, escalateBelow: Double, limit: Int) {
        self.cheapModel = cheapModel
        self.escalateBelow = escalateBelow
        self.limit = limit
    }

    /// - Parameters:
    ///   - order: open item ids, first in line first.
    ///   - predictions: each item's latest prediction (as stored: calibrated and pooled).
    public func candidates(order: [Int64], predictions: [Int64: Prediction]) -> [Int64] {
        var chosen: [Int64] = []
        for itemId in order where chosen.count < limit {
            guard let prediction = predictions[itemId], prediction.model == cheapModel else { continue }
            if Self.isUnsure(prediction, below: escalateBelow) { chosen.append(itemId) }
        }
        return chosen
    }

    static func isUnsure(_ prediction: Prediction, below level: Double) -> Bool {
        guard prediction.isValid, let confidence = prediction.confidence else { return true }
        return confidence < level || prediction.alternative != nil
    }
}
