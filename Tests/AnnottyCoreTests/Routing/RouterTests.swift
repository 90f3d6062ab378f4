import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

@Suite struct RouterTests {
    var settings: RoutingSettings {
        var settings = RoutingSettings()
        settings.autoAccept = 0.95
        settings.review = 0.7
        settings.minVerifiedOutcomes = 50
        settings.accuracyFloor = 0.9
        settings.autoAcceptPerLabel = ["mixed": 0.99]
        return settings
    }

    @Test func nothingIsAutoAcceptedDuringColdStart() {
        let router = Router(settings: settings, calibration: ModelCalibration(calibrator: .identity, verifiedOutcomes: 49, measuredAccuracy: 1))
        #expect(router.hold == .coldStart(verified: 49, needed: 50))
        #expect(router.route(label: "positive", calibratedConfidence: 0.999) == .personLater)
    }

    @Test func aModelBelowTheAccuracyFloorNeverAutoAccepts() {
        let router = Router(settings: settings, calibration: ModelCalibration(calibrator: .identity, verifiedOutcomes: 500, measuredAccuracy: 0.89))
        #expect(router.hold == .belowAccuracyFloor(measured: 0.89, floor: 0.9))
        #expect(router.route(label: "positive", calibratedConfidence: 1.0) == .personLater)
    }

    @Test func thresholdsSplitIntoThreeRoutesWithPerLabelOverrides() {
        let router = Router(settings: settings, calibration: ModelCalibration(calibrator: .identity, verifiedOutcomes: 500, measuredAccuracy: 0.95))
        #expect(router.hold == nil)
        #expect(router.route(label: "positive", calibratedConfidence: 0.95) == .autoAccept)
        #expect(router.route(label: "positive", calibratedConfidence: 0.949) == .personLater)
        #expect(router.route(label: "positive", calibratedConfidence: 0.7) == .personLater)
        #expect(router.route(label: "positive", calibratedConfidence: 0.69) == .personFirst)
        #expect(router.route(label: "mixed", calibratedConfidence: 0.98) == .personLater)
        #expect(router.route(label: "mixed", calibratedConfidence: 0.99) == .autoAccept)
    }

    @Test func routingUsesTheCalibratedConfidence() {
        // Isotonic map that halves everything: a raw 0.99 becomes 0.5, below review.
        let calibrator = Calibrator.isotonic(IsotonicCalibration(thresholds: [0, 1], values: [0, 0.5]))
        let router = Router(settings: settings, calibration: ModelCalibration(calibrator: calibrator, verifiedOutcomes: 500, measuredAccuracy: 0.95))
        let prediction = Prediction(itemId: 1, model: "m", label: "positive", probabilities: ["positive": 0.99, "negative": 0.01])
        let routed = router.route(prediction)
        #expect(routed.route == .personFirst)
        #expect(abs((routed.confidence ?? 0) - 0.495) < 1e-9)
        let invalid = Prediction(itemId: 1, model: "m", label: nil, probabilities: [:], isValid: false)
        #expect(router.route(invalid).route == .personFirst)
    }
}

@Suite struct RoutingSimulationTests {
    static let labels = LabelSet(names: ["a", "b", "c"])

    /// A model that is right with probability `accuracy` and always says so with confidence `confidence`.
    func cases(count: Int, accuracy: Double, confidence: Double, seed: UInt64) -> [RoutingSimulation.Case] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            let gold = index % 3
            let right = random.nextUnitDouble() < accuracy
            let predicted = right ? gold : (gold + 1 + random.nextIndex(below: 2)) % 3
            var probabilities = Array(repeating: (1 - confidence) / 2, count: 3)
            probabilities[predicted] = confidence
            return RoutingSimulation.Case(text: "item \(index)", probabilities: probabilities, gold: gold)
        }
    }

    @Test func aWeakOverconfidentModelCostsPeopleTimeButNeverQuality() throws {
        let dir = try TemporaryDirectory()
        var settings = RoutingSettings()
        settings.minVerifiedOutcomes = 30
        let result = try RoutingSimulation(labels: Self.labels, settings: settings, batchSize: 10)
            .run(cases(count: 300, accuracy: 0.5, confidence: 0.98, seed: 7), in: dir.url)
        #expect(result.autoAccepted == 0 && result.autoAcceptedBelowFloor == 0)
        #expect(result.humanLabels == 300 && result.finalAccuracy == 1)
        #expect((result.measuredAccuracy.last ?? 1) < 0.6)
    }

    @Test func aStrongModelIsTrustedAfterColdStart() throws {
        let dir = try TemporaryDirectory()
        var settings = RoutingSettings()
        settings.minVerifiedOutcomes = 30
        settings.accuracyFloor = 0.9
        let result = try RoutingSimulation(labels: Self.labels, settings: settings, batchSize: 10)
            .run(cases(count: 300, accuracy: 0.98, confidence: 0.99, seed: 3), in: dir.url)
        #expect(result.humanLabels >= 30)
        #expect(result.autoAccepted > 150)
        #expect(result.autoAcceptedBelowFloor == 0)
        #expect(result.finalAccuracy > 0.97)
    }
}
