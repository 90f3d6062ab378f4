import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// A multi-label prediction in a real SQLite store: calibrated per label from the stored
/// calibration as it is saved (migration 007 keeps the per-label probabilities), and refreshed
/// by a routing pass.
@Suite struct MultiLabelPredictionStoreTests {
    static let labels = LabelSet(names: ["joy", "sadness", "anger"])

    func makeStore(_ dir: TemporaryDirectory, count: Int = 6) throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        _ = try store.importItems { sink in
            for index in 1...count { try sink.add(ImportRecord(text: "item \(index)")) }
        }
        return store
    }

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

    @Test func aSavedMultiLabelPredictionIsCalibratedPerLabelFromTheStoredCalibration() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
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
        // What is read back from the file, not only what was returned.
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

    @Test func aSingleLabelCalibrationIsNeverAppliedToASet() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        let single = try ModelCalibration(calibrator: .temperature(TemperatureScaling(temperature: 3)), verifiedOutcomes: 40,
                                          measuredAccuracy: 0.8).stored(model: "m")
        try store.saveCalibration(model: "m", calibratorJSON: single.calibratorJSON, verifiedOutcomes: 40, measuredAccuracy: 0.8)
        let saved = try store.savePrediction(Self.prediction(itemId: 1))
        #expect(saved.calibratedConfidence == 0.7)
        #expect(saved.calibratedLabel == nil)
    }

    @Test func aRoutingPassRefreshesTheStoredPerLabelProbabilities() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
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
