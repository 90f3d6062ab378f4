import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// A cascade's routing pass: a cheaper tier's pre-label under `escalate_below` awaits the
/// stronger tier and is never auto-accepted, whatever threshold the evidence supports.
@Suite struct CascadeRoutingTests {
    /// 400 items: 300 decided on the strong tier's pre-label (0.8, all right), then 30 open on the
    /// cheap tier at 0.8, 30 on the cheap tier at 0.95 and 40 on the strong tier at 0.8.
    static func project() throws -> (TemporaryDirectory, SQLiteStore) {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        _ = try store.importItems { sink in
            for index in 0..<400 { try sink.add(ImportRecord(text: "item \(index)")) }
        }
        for itemId in Int64(1)...Int64(400) {
            let (model, confidence) = switch itemId {
            case 301...330: ("cheap", 0.8)
            case 331...360: ("cheap", 0.95)
            default: ("strong", 0.8)
            }
            try store.savePrediction(Prediction(itemId: itemId, model: model, label: "a",
                                                probabilities: ["a": confidence, "b": 1 - confidence]))
            if itemId <= 300 { try store.recordDecision(Decision(itemId: itemId, annotator: "ann", kind: .accept, label: "a")) }
        }
        // Both tiers calibrated as they are (identity) on 300 outcomes: no cold start holds either.
        for model in ["cheap", "strong"] {
            let stored = try ModelCalibration(calibrator: .identity, verifiedOutcomes: 300, measuredAccuracy: 1).stored(model: model)
            try store.saveCalibration(model: model, calibratorJSON: stored.calibratorJSON,
                                      verifiedOutcomes: stored.verifiedOutcomes, measuredAccuracy: stored.measuredAccuracy)
        }
        return (dir, store)
    }

    static func config(escalateBelow: Double) -> ProjectConfig {
        var config = ProjectConfig(name: "t", labels: LabelSet(names: ["a", "b"]))
        config.llm.model = "cheap"
        config.cascade.model = "strong"
        config.cascade.escalateBelow = escalateBelow
        config.routing.autoAcceptTargetError = 0.02
        return config
    }

    @Test func aCheaperTiersPrelabelUnderEscalateBelowWaitsForTheStrongerTier() throws {
        let (dir, store) = try Self.project()
        _ = dir
        // Not refitted: 300 outcomes at 0.8, none wrong, bound the error under 2% (Wilson, 95%).
        let summary = try RoutingPass(store: store, config: Self.config(escalateBelow: 0.9))
            .run(models: ["cheap", "strong"], refit: false)
        #expect(summary.threshold?.threshold == 0.8, "\(summary.threshold?.reason ?? "")")
        let accepted = Set(try store.allDecisions().filter { $0.kind == .auto }.map(\.itemId))
        #expect(summary.autoAccepted == 70)
        #expect(accepted == Set(Int64(331)...Int64(400)))
        #expect(summary.personLater + summary.personFirst == 30)
    }

    @Test func underALowerEscalationLevelTheSameItemsAreAutoAccepted() throws {
        let (dir, store) = try Self.project()
        _ = dir
        let summary = try RoutingPass(store: store, config: Self.config(escalateBelow: 0.75))
            .run(models: ["cheap", "strong"], refit: false)
        #expect(summary.autoAccepted == 100)
    }
}
