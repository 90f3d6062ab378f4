/// Everything one routing pass writes, computed before the write so that the store applies it
/// in one transaction: the refitted calibration, the auto-accepted decisions, the calibrated
/// confidence of every routed prediction and the new queue order.
public struct RoutingPlan: Sendable, Equatable {
    /// The models whose calibration is replaced, each with its calibrator as JSON; models not
    /// named keep the stored one.
    public var calibrations: [StoredCalibration]
    /// Auto decisions to append; the store skips an item that a person decided meanwhile.
    public var autoAccepts: [Decision]
    /// Calibrated confidence (and label, where the calibrator moved it; a multi-label prediction's
    /// calibrated set and per-label probabilities) by prediction id.
    public var calibrated: [Int64: CalibratedValue]
    /// Open item ids, first in line first; items not named keep their order behind them.
    public var queueOrder: [Int64]

    public init(calibrations: [StoredCalibration] = [], autoAccepts: [Decision] = [], calibrated: [Int64: CalibratedValue] = [:],
                queueOrder: [Int64] = []) {
        self.calibrations = calibrations
        self.autoAccepts = autoAccepts
        self.calibrated = calibrated
        self.queueOrder = queueOrder
    }
}

/// What calibration makes of one prediction: the label to show (nil: the model's own) and its
/// confidence.
public struct CalibratedValue: Sendable, Equatable {
    public var label: String?
    public var confidence: Double
    /// What the value rests on when the task learner had a say (nil: the model alone).
    public var source: CombinedPrelabel.Source?
    /// The other opinion when the LLM and the learner disagree.
    public var alternative: PrelabelOpinion?
    /// Multi-label: each label's calibrated probability of being in the set (nil for single-label).
    public var calibratedProbabilities: [String: Double]?

    public init(label: String? = nil, confidence: Double, source: CombinedPrelabel.Source? = nil,
                alternative: PrelabelOpinion? = nil, calibratedProbabilities: [String: Double]? = nil) {
        self.label = label
        self.confidence = confidence
        self.source = source
        self.alternative = alternative
        self.calibratedProbabilities = calibratedProbabilities
    }
}

/// A model's calibration as the store keeps it.
public struct StoredCalibration: Sendable, Equatable {
    public var model: String
    public var calibratorJSON: String
    public var verifiedOutcomes: Int
    public var measuredAccuracy: Double

    public init(model: String, calibratorJSON: String, verifiedOutcomes: Int, measuredAccuracy: Double) {
        self.model = model
        self.calibratorJSON = calibratorJSON
        self.verifiedOutcomes = verifiedOutcomes
        self.measuredAccuracy = measuredAccuracy
    }
}
