import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// The offline local model's real predictions on the sample reviews and on TREC-6 test questions
/// (recorded by scripts/record-model-predictions.sh): calibration must lower the ECE (10 bins,
/// cross-fitted), and the router, simulated against gold labels, must never auto-accept for this
/// weak a model. The 15-bin figures are reported in docs/calibration.md: on the reviews, where the
/// raw model is already close to calibrated, isotonic steps leave the 15-bin ECE within noise of
/// the raw one, so only the 10-bin figure is asserted there.
@Suite struct LocalModelCalibrationTests {
    static let fixtures = SharedDatasets.repositoryRoot.appendingPathComponent("Tests/AnnottyCoreTests/Fixtures")

    @Test(arguments: ["smollm2-reviews.jsonl", "smollm2-trec.jsonl"])
    func calibrationLowersTheECEAndTheRouterNeverTrustsAWeakModel(file: String) throws {
        let fixture = try PredictionFixture(path: Self.fixtures.appendingPathComponent(file).path)
        #expect(fixture.cases.count >= 150)
        let report = try CalibrationReport(outcomes: fixture.outcomes(model: file))
        let raw10 = try #require(report.rawECE10), calibrated10 = try #require(report.calibratedECE10)
        #expect(calibrated10 < raw10, "10 bins: \(calibrated10) vs raw \(raw10)")
        if file == "smollm2-trec.jsonl" {
            let raw15 = try #require(report.rawECE15), calibrated15 = try #require(report.calibratedECE15)
            #expect(calibrated15 < raw15, "15 bins: \(calibrated15) vs raw \(raw15)")
        }

        let dir = try TemporaryDirectory()
        var settings = RoutingSettings()
        settings.minVerifiedOutcomes = 50
        settings.accuracyFloor = 0.9
        let result = try RoutingSimulation(labels: fixture.labels, settings: settings, batchSize: 10).run(fixture.cases, in: dir.url)
        #expect((report.accuracy ?? 1) < settings.accuracyFloor)
        #expect(result.autoAcceptedBelowFloor == 0)
        #expect(result.autoAccepted == 0)
        #expect(result.finalAccuracy == 1)
        #expect(result.humanLabels == fixture.cases.count)
    }
}
