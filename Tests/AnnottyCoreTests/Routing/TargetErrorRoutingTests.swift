import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// `auto_accept_target_error`: the routing pass picks its threshold from verified outcomes and
/// auto-accepts for a model under the accuracy floor when its confident answers are right.
@Suite struct TargetErrorRoutingTests {
    @Test func aModelUnderTheFloorAutoAcceptsWhereItsConfidentAnswersBoundTheError() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        let count = 400
        _ = try store.importItems { sink in
            for index in 0..<count { try sink.add(ImportRecord(text: "item \(index)")) }
        }
        // 300 decided items: confident ones (0.97) all right, unsure ones (0.55) right half the
        // time: 75% accuracy overall, under the 0.9 floor.
        for itemId in Int64(1)...Int64(count) {
            let sure = itemId % 2 == 0
            try store.savePrediction(Prediction(itemId: itemId, model: "m", label: "a",
                                                probabilities: sure ? ["a": 0.97, "b": 0.03] : ["a": 0.55, "b": 0.45]))
            guard itemId <= 300 else { continue }
            let truth = sure || itemId % 4 == 1 ? "a" : "b"
            try store.recordDecision(Decision(itemId: itemId, annotator: "ann", kind: truth == "a" ? .accept : .correct, label: truth))
        }
        var config = ProjectConfig(name: "t", labels: LabelSet(names: ["a", "b"]))
        config.routing.minVerifiedOutcomes = 50
        let fixed = try RoutingPass(store: store, config: config).run(model: "m")
        #expect(fixed.autoAccepted == 0)
        guard case .belowAccuracyFloor(let measured, _) = fixed.hold else {
            Issue.record("expected the accuracy floor to hold, got \(String(describing: fixed.hold))")
            return
        }
        #expect(abs(measured - 0.75) < 0.02)

        // 0 wrong in 150 bounds the error at 2.5% (Wilson, 95%): a 3% target is met.
        config.routing.autoAcceptTargetError = 0.03
        let summary = try RoutingPass(store: store, config: config).run(model: "m")
        let threshold = try #require(summary.threshold?.threshold)
        // Above every unsure item's calibrated confidence, at or below the confident ones'.
        #expect(threshold > 0.6 && threshold <= 1)
        #expect(summary.threshold?.reason.contains("150 verified outcomes at or above it, 0 wrong") == true,
                "\(summary.threshold?.reason ?? "")")
        // The 50 open confident items are accepted; the 50 unsure ones go to people first.
        #expect(summary.autoAccepted == 50)
        #expect(try store.allDecisions().filter { $0.kind == .auto }.allSatisfy { $0.itemId % 2 == 0 && $0.itemId > 300 })
        #expect(summary.personFirst == 50)
    }
}
