/// Decides who labels an item from its prediction's calibrated confidence and what is known of
/// the model. Pure, so every rule is tested without a database.
public struct Router: Sendable {
    public enum Route: Sendable, Equatable {
        /// Accepted without a person.
        case autoAccept
        /// To a person, first: the model is unsure.
        case personFirst
        /// To a person after the unsure ones.
        case personLater
    }

    /// Why an item that could have been auto-accepted was not.
    public enum Hold: Sendable, Equatable {
        case coldStart(verified: Int, needed: Int)
        case belowAccuracyFloor(measured: Double, floor: Double)
    }

    public let settings: RoutingSettings
    public let calibration: ModelCalibration

    public init(settings: RoutingSettings, calibration: ModelCalibration) {
        self.settings = settings
        self.calibration = calibration
    }

    /// Whether this model may auto-accept at all, and if not, why.
    public var hold: Hold? {
        if calibration.verifiedOutcomes < settings.minVerifiedOutcomes {
            return .coldStart(verified: calibration.verifiedOutcomes, needed: settings.minVerifiedOutcomes)
        }
        if calibration.measuredAccuracy < settings.accuracyFloor {
            return .belowAccuracyFloor(measured: calibration.measuredAccuracy, floor: settings.accuracyFloor)
        }
        return nil
    }

    public func route(label: String, calibratedConfidence: Double) -> Route {
        if hold == nil, calibratedConfidence >= settings.autoAcceptThreshold(for: label) { return .autoAccept }
        return calibratedConfidence < settings.review ? .personFirst : .personLater
    }

    /// Routes a stored prediction (invalid ones always go to a person, first).
    public func route(_ prediction: Prediction) -> (route: Route, confidence: Double?) {
        let calibrated = calibration.calibrated(prediction)
        guard prediction.isValid, let label = calibrated.shownLabel, let confidence = calibrated.calibratedConfidence else {
            return (.personFirst, nil)
        }
        return (route(label: label, calibratedConfidence: confidence), confidence)
    }
}
