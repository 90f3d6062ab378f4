@testable import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

@Suite("How the open items' confidences rise as the task learner gets more labels")
struct ConfidenceGrowthTests {
    static func logOdds(_ p: Double) -> Double { log(p / (1 - p)) }

    @Test("Quantile against quantile: each rank's rise in log-odds, whichever item held it before")
    func risesAreMeasuredRankByRank() throws {
        // Before, the items were at 0.6, 0.9, 0.5; now at 0.8, 0.7, 0.95. Sorted: 0.5→0.7,
        // 0.6→0.8, 0.9→0.95, so the lowest rank rose by logit(0.7) − logit(0.5), and so on.
        let growth = try #require(ConfidenceGrowth.measure(now: [0.8, 0.7, 0.95], before: [0.6, 0.9, 0.5],
                                                           labelsNow: 200, labelsBefore: 100))
        let expected = [Self.logOdds(0.7) - Self.logOdds(0.5), Self.logOdds(0.8) - Self.logOdds(0.6),
                        Self.logOdds(0.95) - Self.logOdds(0.9)]
        for (rise, want) in zip(growth.logOddsRiseByRank, expected) { #expect(abs(rise - want) < 1e-9) }
        // Six items take the rises of their own ranks: two to each of the three measured ranks.
        let rises = growth.risesPerStep(for: [0.99, 0.1, 0.5, 0.2, 0.7, 0.6])
        #expect(rises == [expected[2], expected[0], expected[1], expected[0], expected[2], expected[1]])
    }

    @Test("Steps count doublings of the labels, as measured from before to now")
    func stepsFollowTheLogOfTheLabels() throws {
        let growth = ConfidenceGrowth(labelsNow: 100, labelsBefore: 50, logOddsRiseByRank: [1])
        #expect(growth.steps(atLabels: 100) == 0 && growth.steps(atLabels: 80) == 0)
        #expect(abs(growth.steps(atLabels: 200) - 1) < 1e-12)
        #expect(abs(growth.steps(atLabels: 400) - 2) < 1e-12)
        // Measured over 200 → 300 labels, one step is half as many labels again.
        let slower = ConfidenceGrowth(labelsNow: 300, labelsBefore: 200, logOddsRiseByRank: [1])
        #expect(abs(slower.steps(atLabels: 450) - 1) < 1e-12)
        // Half a step of a rise of 2 in log-odds from 0.5 lands at logistic(1).
        #expect(abs(ConfidenceGrowth.grown(0.5, risePerStep: 2, steps: 0.5) - 1 / (1 + exp(-1))) < 1e-12)
        // No usable pre-label stays at 0; a falling rank falls.
        #expect(ConfidenceGrowth.grown(0, risePerStep: 5, steps: 1) == 0)
        #expect(ConfidenceGrowth.grown(0.9, risePerStep: -1, steps: 1) < 0.9)
        #expect(ConfidenceGrowth.measure(now: [0.9], before: [0.8], labelsNow: 50, labelsBefore: 50) == nil)
        #expect(ConfidenceGrowth.measure(now: [0.9], before: [0.8, 0.7], labelsNow: 100, labelsBefore: 50) == nil)
    }

    /// 40 people's labels on texts a learner separates ("alpha …" is a, "beta …" is b), 20 open
    /// items of both kinds; the LLM says 50/50 on every open item. Pooled by a combiner that takes
    /// the learner's opinion, the open items' confidences are the learner's: trained on all 40
    /// labels it is surer than on the first 20, so every rank rises. Pooled by one that takes the
    /// LLM's, nothing the learner learns moves them.
    @Test("On a project: the learner retrained on the first half of people's labels against all of them")
    func measuredOnAStore() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        let words = ["red", "green", "blue", "stone", "river", "cloud", "lamp", "field", "road", "tree"]
        _ = try store.importItems { sink in
            for index in 0..<60 {
                let kind = index % 2 == 0 ? "alpha" : "beta"
                try sink.add(ImportRecord(text: "\(kind) \(words[index % 10]) \(kind) item \(index)"))
            }
        }
        for itemId in Int64(1)...40 {
            try store.recordDecision(Decision(itemId: itemId, annotator: "ann", kind: .correct, label: itemId % 2 == 1 ? "a" : "b"))
        }
        let openIds = Array(Int64(41)...60)
        for itemId in openIds {
            try store.savePrediction(Prediction(itemId: itemId, model: "m", label: "a", probabilities: ["a": 0.5, "b": 0.5]))
        }
        let config = ProjectConfig(name: "growth", labels: LabelSet(names: ["a", "b"]))
        let predictions = try store.latestPredictions(itemIds: openIds)
        var calibration = ModelCalibration.uncalibrated
        calibration.labelNames = config.labels.names
        calibration.combiner = OpinionCombiner(source: .learner, llmWeight: 0, learnerWeight: 1, biases: [0, 0],
                                               heldOutLogLoss: [:], outcomesUsed: 40)
        let growth = try #require(try ConfidenceGrowth.measure(store: store, config: config, calibrations: ["m": calibration],
                                                               openIds: openIds, predictions: predictions))
        #expect(growth.labelsNow == 40 && growth.labelsBefore == 20 && growth.logOddsRiseByRank.count == 20)
        #expect(growth.logOddsRiseByRank.allSatisfy { $0 > 0 }, "rises \(growth.logOddsRiseByRank.description)")

        calibration.combiner = .llmFirst
        let llmOnly = try #require(try ConfidenceGrowth.measure(store: store, config: config, calibrations: ["m": calibration],
                                                                openIds: openIds, predictions: predictions))
        #expect(llmOnly.logOddsRiseByRank.allSatisfy { $0 == 0 })
        // `annotty plan` says what the forecast carries on (the stored calibration has no
        // combiner: the open items' confidences are the LLM's, and do not move).
        var planConfig = config
        planConfig.llm.model = "m"
        let plan = try BudgetPlan.make(store: store, config: planConfig, budget: nil,
                                       prices: BudgetPlan.Prices(humanPerItem: nil, modelPerItem: 0))
        #expect(plan.learnerGrowth?.labelsBefore == 20 && plan.learnerGrowth?.labelsNow == 40)
        let report = plan.render(projectName: "growth")
        #expect(report.contains("with the open items' confidences going on as they\n"), "\(report)")
        #expect(report.contains(" went from 20 to 40 labels (median 0.50 → 0.50)\n"), "\(report)")
        #expect(plan.json(projectName: "growth").contains("\"loop_growth_labels\": [20, 40]"))

        // Under 20 labels nothing is measured.
        for _ in 0..<21 { _ = try store.undoLastDecision(annotator: "ann") }
        #expect(try ConfidenceGrowth.measure(store: store, config: config, calibrations: ["m": calibration],
                                             openIds: openIds, predictions: predictions) == nil)
    }
}
