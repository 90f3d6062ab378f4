/// Everything one routing pass writes, computed before the write so that the store applies it
/// in one transaction: the refitted calibration, the auto-accepted decisions, the calibrated
/// confidence of every routed prediction and the new queue order.
public struct RoutingPlan: Sendable, Equatable {
    /// The model whose calibration is replaced, with the calibrator as JSON; nil keeps the stored one.
    public var calibration: StoredCalibration?
    /// Auto decisions to append; the store skips an item that a person decided meanwhile.
    public var autoAccepts: [Decision]
    /// Calibrated confidence by prediction id.
    public var calibratedConfidences: [Int64: Double]
    /// Open item ids, first in line first; items not named keep their order behind them.
    public var queueOrder: [Int64]

    public init(calibration: StoredCalibration? = nil, autoAccepts: [Decision] = [], calibratedConfidences: [Int64: Double] = [:],
                queueOrder: [Int64] = []) {
        self.calibration = calibration
        self.autoAccepts = autoAccepts
        self.calibratedConfidences = calibratedConfidences
        self.queueOrder = queueOrder
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
