import Foundation

/// A model's fitted calibrator with the evidence behind it: what the router trusts.
public struct ModelCalibration: Sendable, Equatable {
    public var calibrator: Calibrator
    public var verifiedOutcomes: Int
    public var measuredAccuracy: Double

    public static let uncalibrated = ModelCalibration(calibrator: .identity, verifiedOutcomes: 0, measuredAccuracy: 0)

    public init(calibrator: Calibrator, verifiedOutcomes: Int, measuredAccuracy: Double) {
        self.calibrator = calibrator
        self.verifiedOutcomes = verifiedOutcomes
        self.measuredAccuracy = measuredAccuracy
    }

    /// The confidence to show and route on for a raw top-label confidence.
    public func calibratedConfidence(_ raw: Double) -> Double {
        min(1, max(0, calibrator.calibratedConfidence(raw)))
    }

    /// Fewer outcomes than this: keep the raw confidence (a fit on a handful overfits).
    public static let minimumOutcomesToFit = 20

    /// Fits temperature scaling and isotonic regression on the outcomes and keeps the one with
    /// the lower held-out log loss.
    public static func fit(_ outcomes: VerifiedOutcomes, seed: UInt64 = 0) throws -> ModelCalibration {
        let accuracy = outcomes.accuracy ?? 0
        guard outcomes.count >= minimumOutcomesToFit else {
            return ModelCalibration(calibrator: .identity, verifiedOutcomes: outcomes.count, measuredAccuracy: accuracy)
        }
        let selection = try CalibratorSelection.choose(confidences: outcomes.rawConfidences, correct: outcomes.correctness,
                                                       heldOutFraction: 0.3, seed: seed)
        // Refit the winning kind on every outcome, now that the split has chosen it.
        let calibrator: Calibrator
        switch selection.calibrator {
        case .identity: calibrator = .identity
        case .temperature: calibrator = .temperature(try TemperatureScaling.fit(confidences: outcomes.rawConfidences,
                                                                               correct: outcomes.correctness))
        case .isotonic: calibrator = .isotonic(try IsotonicCalibration.fit(confidences: outcomes.rawConfidences,
                                                                         correct: outcomes.correctness))
        }
        return ModelCalibration(calibrator: calibrator, verifiedOutcomes: outcomes.count, measuredAccuracy: accuracy)
    }

    /// Fits and stores the calibration of `model` from the project's verified outcomes.
    @discardableResult
    public static func refit(store: any AnnotationStore, model: String, labels: LabelSet) throws -> ModelCalibration {
        let calibration = try fit(VerifiedOutcomes(store: store, model: model, labels: labels))
        let stored = try calibration.stored(model: model)
        try store.saveCalibration(model: model, calibratorJSON: stored.calibratorJSON,
                                  verifiedOutcomes: stored.verifiedOutcomes, measuredAccuracy: stored.measuredAccuracy)
        return calibration
    }

    /// The stored calibration of `model`, or `uncalibrated`.
    public static func load(store: any AnnotationStore, model: String) throws -> ModelCalibration {
        guard let stored = try store.calibration(model: model) else { return .uncalibrated }
        return ModelCalibration(stored: StoredCalibration(model: model, calibratorJSON: stored.calibratorJSON,
                                                          verifiedOutcomes: stored.verifiedOutcomes,
                                                          measuredAccuracy: stored.measuredAccuracy))
    }

    /// A calibration as the store keeps it; `uncalibrated` when its JSON cannot be read (a
    /// calibrator written by a newer annotty): the raw confidence is then shown, never a guess.
    public init(stored: StoredCalibration) {
        guard let calibrator = try? JSONDecoder().decode(Calibrator.self, from: Data(stored.calibratorJSON.utf8)) else {
            self = .uncalibrated
            return
        }
        self.init(calibrator: calibrator, verifiedOutcomes: stored.verifiedOutcomes, measuredAccuracy: stored.measuredAccuracy)
    }

    /// This calibration in the form the store keeps.
    public func stored(model: String) throws -> StoredCalibration {
        let data = try JSONEncoder().encode(calibrator)
        return StoredCalibration(model: model, calibratorJSON: String(decoding: data, as: UTF8.self),
                                 verifiedOutcomes: verifiedOutcomes, measuredAccuracy: measuredAccuracy)
    }

    /// The prediction with its calibrated confidence: the one place a confidence is calibrated.
    /// Invalid predictions carry none.
    public func calibrated(_ prediction: Prediction) -> Prediction {
        var calibrated = prediction
        calibrated.calibratedConfidence = prediction.isValid ? prediction.rawConfidence.map(calibratedConfidence) : nil
        return calibrated
    }
}
