import AnnottyCore
import AnnottyLoop
import AnnottyTUI
import Foundation
import Testing

/// The learning cycle of a multi-label project on a real SQLite store: after enough decided sets
/// the routing pass auto-accepts only items whose every label is settled, with the calibrated set,
/// and leaves an item with one unsettled label to people, first.
@Suite struct MultiLabelRoutingLoopTests {
    static let labels = LabelSet(names: ["joy", "sadness", "anger"])

    static func encoded(_ names: [String]) -> String { MultiLabelAnswer(names, labels: labels).encoded }

    @Test func theRoutingPassAutoAcceptsOnlySetsWhoseEveryLabelIsSettled() throws {
        // Decided by people: six items, the model's sets right on five.
        let decided: [(text: String, probabilities: [Double], truth: [String])] = [
            ("decided 1", [0.96, 0.03, 0.02], ["joy"]),
            ("decided 2", [0.02, 0.97, 0.04], ["sadness"]),
            ("decided 3", [0.95, 0.96, 0.03], ["joy", "sadness"]),
            ("decided 4", [0.03, 0.02, 0.97], ["anger"]),
            ("decided 5", [0.02, 0.04, 0.03], []),
            ("decided 6", [0.97, 0.03, 0.04], ["joy", "anger"]),
        ]
        let open: [(text: String, probabilities: [Double])] = [
            ("open settled joy", [0.97, 0.02, 0.03]),
            ("open unsettled sadness", [0.97, 0.55, 0.02]),
            ("open settled none", [0.02, 0.03, 0.01]),
            ("open settled sadness and anger", [0.03, 0.98, 0.96]),
            ("open nearly settled", [0.97, 0.85, 0.02]),
        ]
        let project = try LoopProject(items: decided.map(\.text) + open.map(\.text)) { config in
            config.task = .multi
            config.labels = Self.labels
            config.routing.minVerifiedOutcomes = 4
            config.routing.accuracyFloor = 0.5
            config.routing.autoAccept = 0.9
            config.routing.review = 0.6
        }
        let store = project.store
        let ids = Dictionary(uniqueKeysWithValues: try store.items(ids: Array(1...Int64(decided.count + open.count)))
            .map { ($0.text, $0.id) })
        func predict(_ text: String, _ probabilities: [Double]) throws -> Prediction {
            let set = MultiLabelAnswer.predicted(inProbabilities: probabilities, labels: Self.labels)
            return try store.savePrediction(Prediction(
                itemId: ids[text]!, model: "scripted-model", label: set.encoded,
                probabilities: Dictionary(uniqueKeysWithValues: zip(Self.labels.names, probabilities))))
        }
        for item in decided {
            let prediction = try predict(item.text, item.probabilities)
            try store.recordDecision(Decision(itemId: prediction.itemId, annotator: "alice",
                                              kind: prediction.label == Self.encoded(item.truth) ? .accept : .correct,
                                              label: Self.encoded(item.truth), shownLabel: prediction.shownLabel,
                                              shownConfidence: prediction.confidence, predictionId: prediction.id))
        }
        for item in open { _ = try predict(item.text, item.probabilities) }

        let cycle = LearningCycle(config: project.project.config, store: store, inbox: Inbox())
        let report = try #require(cycle.runCycle())
        let routing = try #require(report.routing)
        #expect(routing.hold == nil)
        #expect(routing.autoAccepted == 3)
        #expect(routing.multiLabelCalibration?.verifiedOutcomes == 6)
        #expect(report.ranking.order != nil)

        // Auto-accepted: the three sets settled on every label, each with its calibrated set and
        // its least settled label's confidence, row by row.
        let autos = try store.allDecisions().filter { $0.kind == .auto }
        let expected: [String: (set: [String], confidence: Double)] = [
            "open settled joy": (["joy"], 0.97),
            "open settled none": ([], 0.97),
            "open settled sadness and anger": (["sadness", "anger"], 0.96),
        ]
        #expect(Set(autos.map(\.itemId)) == Set(expected.keys.map { ids[$0]! }))
        let predictions = try store.latestPredictions(itemIds: Array(ids.values))
        for (text, want) in expected {
            let decision = try #require(autos.first { $0.itemId == ids[text] })
            #expect(decision.label == Self.encoded(want.set))
            #expect(decision.shownLabel == decision.label)
            #expect(abs(decision.shownConfidence! - want.confidence) < 1e-12)
            #expect(decision.annotator == RoutingPass.routerName)
            #expect(decision.predictionId == predictions[ids[text]!]?.id)
        }
        // Left to people: the unsettled one first (below review), then the nearly settled one.
        let stillOpen = try store.openItemIds(limit: 10)
        #expect(stillOpen == [ids["open unsettled sadness"]!, ids["open nearly settled"]!])
        // The pass stored each open prediction's per-label probabilities (six outcomes: raw ones stand).
        let unsettled = try #require(predictions[ids["open unsettled sadness"]!])
        #expect(unsettled.calibratedProbabilities == ["joy": 0.97, "sadness": 0.55, "anger": 0.02])
        #expect(unsettled.calibratedConfidence == 0.55)
        // The stored calibration is the multi-label one, on the six decided sets.
        let calibration = try MultiLabelCalibration.load(store: store, model: "scripted-model", labels: Self.labels)
        #expect(calibration.verifiedOutcomes == 6)
        #expect(calibration.perLabel.count == 3)
        // The learner's per-label opinions were saved for the items still open.
        let opinions = try store.learnerOpinions(itemIds: stillOpen)
        #expect(opinions.count == 2 && opinions.values.allSatisfy { $0.count == 3 })
    }

    @Test func whereTheProjectForbidsEmptySetsAConfidentEmptySetWaitsForAPerson() throws {
        let project = try LoopProject(items: ["a", "b", "c", "d", "e", "f"]) { config in
            config.task = .multi
            config.labels = Self.labels
            config.allowEmptySet = false
            config.routing.minVerifiedOutcomes = 2
            config.routing.accuracyFloor = 0.5
            config.routing.autoAccept = 0.9
        }
        let store = project.store
        let open = try store.openItemIds(limit: 10)
        func save(_ itemId: Int64, _ probabilities: [Double]) throws -> Prediction {
            try store.savePrediction(Prediction(
                itemId: itemId, model: "scripted-model",
                label: MultiLabelAnswer.predicted(inProbabilities: probabilities, labels: Self.labels).encoded,
                probabilities: Dictionary(uniqueKeysWithValues: zip(Self.labels.names, probabilities))))
        }
        for (itemId, set) in zip(open.prefix(3), [["joy"], ["anger"], ["joy"]]) {
            let prediction = try save(itemId, set == ["joy"] ? [0.97, 0.02, 0.02] : [0.02, 0.02, 0.97])
            try store.recordDecision(Decision(itemId: itemId, annotator: "alice", kind: .accept, label: Self.encoded(set),
                                              predictionId: prediction.id))
        }
        let empty = try save(open[3], [0.02, 0.02, 0.02])
        let joy = try save(open[4], [0.98, 0.02, 0.02])
        let summary = try RoutingPass(store: store, config: project.project.config).run(model: "scripted-model")
        #expect(summary.autoAccepted == 1)
        #expect(try store.allDecisions().filter { $0.kind == .auto }.map(\.itemId) == [joy.itemId])
        #expect(try store.openItemIds(limit: 10).contains(empty.itemId))
        // Shown with its most probable label instead, as sure as that label is (not at all).
        let shown = try #require(try store.latestPredictions(itemIds: [empty.itemId])[empty.itemId])
        #expect(shown.shownLabel == #"["joy"]"#)
        #expect(shown.confidence == 0.02)
    }
}
