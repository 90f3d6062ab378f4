import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// A multi-label prediction in a real store (SQLite and PostgreSQL): calibrated per label from
/// the stored calibration as it is saved (the per-label probabilities are stored too), and
/// refreshed by a routing pass.
@Suite struct MultiLabelPredictionStoreTests {
    static let labels = LabelSet(names: ["joy", "sadness", "anger"])

    static let sixItems = (1...6).map { "item \($0)" }

    /// Joy's calibrator pulls "in" down (0.7 becomes about 0.24); the others keep their raw values.
    static func joyShyCalibration() -> MultiLabelCalibration {
        var joy = ModelCalibration(calibrator: .vectorScaling(VectorScaling(scales: [1, 1], biases: [0, -2])),
                                   verifiedOutcomes: 60, measuredAccuracy: 0.9)
        joy.labelNames = ["out", "in"]
        return MultiLabelCalibration(labelNames: labels.names, perLabel: [joy, .uncalibrated, .uncalibrated],
                                     verifiedOutcomes: 60, measuredAccuracy: 0.8)
    }

    static func prediction(itemId: Int64, model: String = "m") -> Prediction {
        Prediction(itemId: itemId, model: model, label: #"["joy","sadness"]"#,
                   probabilities: ["joy": 0.7, "sadness": 0.9, "anger": 0.05])
    }

    @Test(arguments: StoreKind.available)
    func aSavedMultiLabelPredictionIsCalibratedPerLabelFromTheStoredCalibration(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.sixItems)
        // Before any calibration: the raw set and its raw settledness, no calibrated probabilities.
        let before = try store.savePrediction(Self.prediction(itemId: 1))
        #expect(before.calibratedProbabilities == nil)
        #expect(before.shownLabel == #"["joy","sadness"]"#)
        #expect(before.calibratedConfidence == 0.7)

        let calibration = Self.joyShyCalibration()
        let stored = try calibration.stored(model: "m")
        try store.saveCalibration(model: "m", calibratorJSON: stored.calibratorJSON,
                                  verifiedOutcomes: stored.verifiedOutcomes, measuredAccuracy: stored.measuredAccuracy)
        let saved = try store.savePrediction(Self.prediction(itemId: 2))
        let joyIn = 0.7 * exp(-2) / (0.7 * exp(-2) + 0.3)
        // What is read back from the database, not only what was returned.
        let read = try #require(try store.latestPredictions(itemIds: [2])[2])
        for prediction in [saved, read] {
            let probabilities = try #require(prediction.calibratedProbabilities)
            #expect(abs(probabilities["joy"]! - joyIn) < 1e-9)
            #expect(probabilities["sadness"] == 0.9)
            #expect(probabilities["anger"] == 0.05)
            #expect(prediction.calibratedLabel == #"["sadness"]"#)
            #expect(abs(prediction.calibratedConfidence! - (1 - joyIn)) < 1e-9)
            #expect(prediction.label == #"["joy","sadness"]"#)
            #expect(prediction.probabilities["joy"] == 0.7)
            #expect(prediction.inProbabilities(over: Self.labels).map { ($0 * 1e9).rounded() }
                    == [joyIn, 0.9, 0.05].map { ($0 * 1e9).rounded() })
        }
        // Another model's calibration is not used.
        let other = try store.savePrediction(Self.prediction(itemId: 3, model: "other"))
        #expect(other.calibratedProbabilities == nil && other.calibratedConfidence == 0.7)
    }

    @Test(arguments: StoreKind.available)
    func aSingleLabelCalibrationIsNeverAppliedToASet(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.sixItems)
        let single = try ModelCalibration(calibrator: .temperature(TemperatureScaling(temperature: 3)), verifiedOutcomes: 40,
                                          measuredAccuracy: 0.8).stored(model: "m")
        try store.saveCalibration(model: "m", calibratorJSON: single.calibratorJSON, verifiedOutcomes: 40, measuredAccuracy: 0.8)
        let saved = try store.savePrediction(Self.prediction(itemId: 1))
        #expect(saved.calibratedConfidence == 0.7)
        #expect(saved.calibratedLabel == nil)
    }

    @Test(arguments: StoreKind.available)
    func aRoutingPassRefreshesTheStoredPerLabelProbabilities(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let store = try database.open(items: Self.sixItems)
        let saved = try store.savePrediction(Self.prediction(itemId: 1))
        #expect(saved.calibratedProbabilities == nil)
        let value = try #require(Self.joyShyCalibration().calibratedValue(saved))
        try store.applyRoutingPlan(RoutingPlan(calibrated: [saved.id: value]))
        let read = try #require(try store.latestPredictions(itemIds: [1])[1])
        #expect(read.calibratedProbabilities == value.calibratedProbabilities)
        #expect(read.calibratedLabel == #"["sadness"]"#)
        #expect(read.calibratedConfidence == value.confidence)
    }
}
