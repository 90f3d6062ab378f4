import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// `BudgetPlan.make` on a real SQLite store, with numbers a person can check.
///
/// Model "m", no stored calibration (so confidences are the raw ones). Verified outcomes: 200
/// items at 0.97, all right (10 of them auto-accepted and then audited), and 100 at 0.6, half
/// wrong. Open: 50 pre-labelled at 0.97, 30 at 0.6, 5 with an invalid answer, 15 with none.
/// The 2% target: 0 wrong of 200 bounds the error at 1.9% (Wilson, 95%), so the threshold is 0.97.
/// The 15 without a pre-label are spread over the 80 pre-labelled ones' distribution (30 at 0.6,
/// 50 at 0.97): 6 at 0.6 and 9 at 0.97. Auto-accepted 50 + 9 = 59; to people 30 + 6 + 5 = 41.
@Suite struct BudgetPlanTests {
    static let labels = LabelSet(names: ["a", "b"])

    static func prediction(_ itemId: Int64, _ confidence: Double) -> Prediction {
        Prediction(itemId: itemId, model: "m", label: "a", probabilities: ["a": confidence, "b": 1 - confidence])
    }

    /// - Parameter shownFrom: people's decisions on this item and after record the confidence they
    ///   were shown: the pre-label's own moved by ±0.4 in log-odds in turn.
    static func project(shownFrom: Int64 = .max) throws -> (TemporaryDirectory, SQLiteStore, ProjectConfig) {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        _ = try store.importItems { sink in
            for index in 1...400 { try sink.add(ImportRecord(text: "item \(index)")) }
        }
        for itemId in Int64(1)...200 {
            try store.savePrediction(prediction(itemId, 0.97))
            if itemId <= 10 {
                try store.recordDecision(Decision(itemId: itemId, annotator: RoutingPass.routerName, kind: .auto, label: "a"))
                try store.recordDecision(Decision(itemId: itemId, annotator: "auditor", kind: .audit, label: "a"))
            } else {
                try store.recordDecision(Decision(itemId: itemId, annotator: "ann", kind: .accept, label: "a"))
            }
        }
        for itemId in Int64(201)...300 {
            try store.savePrediction(prediction(itemId, 0.6))
            let right = itemId % 2 == 0
            let shown = itemId >= shownFrom ? 1 / (1 + exp(-(log(0.6 / 0.4) + (itemId % 2 == 0 ? 0.4 : -0.4)))) : nil
            try store.recordDecision(Decision(itemId: itemId, annotator: "ann", kind: right ? .accept : .correct,
                                              label: right ? "a" : "b", shownLabel: shown.map { _ in "a" }, shownConfidence: shown))
        }
        for itemId in Int64(301)...350 { try store.savePrediction(prediction(itemId, 0.97)) }
        for itemId in Int64(351)...380 { try store.savePrediction(prediction(itemId, 0.6)) }
        for itemId in Int64(381)...385 {
            try store.savePrediction(Prediction(itemId: itemId, model: "m", label: nil, probabilities: [:], isValid: false,
                                                error: "no answer"))
        }
        var config = ProjectConfig(name: "plan", labels: labels)
        config.llm.model = "m"
        return (dir, store, config)
    }

    @Test func theForecastFromTheStoreIsHandChecked() throws {
        let (dir, store, config) = try Self.project()
        _ = dir
        let prices = BudgetPlan.Prices(humanPerItem: 0.10, modelPerItem: 0.01)
        let plan = try BudgetPlan.make(store: store, config: config, budget: nil, prices: prices)
        #expect(plan.verifiedOutcomes == 300 && plan.audits == 10)
        #expect(plan.openItems == 100 && plan.prelabelledOpen == 80 && plan.unprelabelledOpen == 15 && plan.unusableOpen == 5)
        #expect(plan.calibratorKind == "identity" && plan.targetError == 0.02)
        let f = plan.forecast
        #expect(f.threshold == 0.97 && f.meetsTargetError)
        #expect(f.autoAccepted == 59 && f.toPeople == 41)
        // Pre-labels only for the 15 without one: $0.15; people 41 × $0.10.
        #expect(abs(f.modelCost - 0.15) < 1e-9 && abs(f.humanCost - 4.1) < 1e-9 && abs(f.totalCost - 4.25) < 1e-9)
        #expect(f.reason.hasPrefix("auto-accepting at ≥0.97: 200 verified outcomes at or above it (10 of them audits), 0 wrong"))
        // The same forecast as BudgetForecast given the evidence and confidences by hand.
        let evidence = (1...200).map { AutoAcceptThresholdSearch.Evidence(confidence: 0.97, isCorrect: true, isAudit: $0 <= 10) }
            + (201...300).map { AutoAcceptThresholdSearch.Evidence(confidence: 0.6, isCorrect: $0 % 2 == 0) }
        let open = Array(repeating: 0.97, count: 59) + Array(repeating: 0.6, count: 36) + Array(repeating: 0.0, count: 5)
        let byHand = BudgetForecast.plan(outcomes: evidence, openConfidences: open,
                                         prices: .init(humanPerItem: 0.10, modelPerItem: 0.0015))
        #expect(abs(f.expectedAccuracy - byHand.expectedAccuracy) < 1e-12)
        #expect(f.accuracyInterval == byHand.accuracyInterval)
        // People always right; 59 auto-accepted items nearly always: between 41 + 59 × (1 − 1.9%) and 100.
        #expect(f.expectedAccuracy > (41 + 59 * (1 - 0.0189)) / 100 && f.expectedAccuracy < 1)
        #expect(f.accuracyInterval.contains(f.expectedAccuracy))
    }

    @Test func aBudgetTooSmallForThePeopleLowersTheThresholdAndSaysTheTargetIsMissed() throws {
        let (dir, store, config) = try Self.project()
        _ = dir
        let prices = BudgetPlan.Prices(humanPerItem: 0.10, modelPerItem: 0.01)
        let plan = try BudgetPlan.make(store: store, config: config, budget: 3, prices: prices)
        // (3 − 0.15) / 0.10 = 28 people; the 72 most confident are auto-accepted, reaching the 0.6 items.
        #expect(plan.forecast.toPeople == 28 && plan.forecast.autoAccepted == 72)
        #expect(plan.forecast.threshold == 0.6 && !plan.forecast.meetsTargetError)
        #expect(abs(plan.forecast.totalCost - 2.95) < 1e-9)
        let text = plan.render(projectName: "plan")
        #expect(text.contains("target error 2%         not met: the budget forces auto-accepting below the target's threshold"))
        #expect(text.contains("budget                  $3.00: within it, $0.05 left"))
    }

    @Test func theReportNamesCountsCostsAndTheThreshold() throws {
        let (dir, store, config) = try Self.project()
        _ = dir
        let plan = try BudgetPlan.make(store: store, config: config, budget: 5,
                                       prices: BudgetPlan.Prices(humanPerItem: 0.10, modelPerItem: 0.01, modelPriceSource: "--model-cost"))
        let text = plan.render(projectName: "plan")
        #expect(text.contains("open items              100\n"
                              + "                        15 without a pre-label yet: forecast like the 80 that have one\n"
                              + "                        5 with an unusable pre-label: to people\n"))
        #expect(text.contains("to people               41\n"))
        #expect(text.contains("auto-accepted           59\n"))
        #expect(text.contains("threshold               ≥0.97\n"))
        #expect(text.contains("cost: model             $0.15 (15 pre-labels still to make at $0.01; --model-cost)"))
        #expect(text.contains("cost: people            $4.10 (41 labels at $0.10)"))
        #expect(text.contains("cost: total             $4.25"))
        #expect(text.contains("budget                  $5.00: within it, $0.75 left"))
        #expect(text.contains("target error 2%         met: the auto-accepted items' error stays under it"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.json(projectName: "plan").utf8)) as? [String: Any])
        #expect(json["to_people"] as? Int == 41 && json["auto_accepted"] as? Int == 59)
        #expect(json["threshold"] as? Double == 0.97 && json["meets_target_error"] as? Bool == true)
        #expect(json["total_cost"] as? Double == 4.25 && json["people_cost"] as? Double == 4.1)
        #expect((json["accuracy_interval"] as? [Double])?.count == 2)
    }

    /// The fixture's decisions record no shown confidence: no jitter. Here people's decisions on
    /// items 201 to 300 were shown 0.6 moved by ±0.4 in log-odds in turn, and are scored at 0.6
    /// now (no calibration, no learner): the latest 50 measure one look's jitter as
    /// √(0.16 × 50/49 / 2) ≈ 0.29, which the report and the JSON give.
    @Test func theJitterIsMeasuredOnPeoplesLatestDecisionsAgainstTheirScoreNow() throws {
        let (dir, store, config) = try Self.project()
        _ = dir
        let prices = BudgetPlan.Prices(humanPerItem: 0.10, modelPerItem: 0.01)
        #expect(try BudgetPlan.make(store: store, config: config, budget: nil, prices: prices).jitter == nil)

        let (shownDir, shownStore, _) = try Self.project(shownFrom: 201)
        _ = shownDir
        let plan = try BudgetPlan.make(store: shownStore, config: config, budget: nil, prices: prices)
        let jitter = try #require(plan.jitter)
        #expect(jitter.decisions == 50 && abs(jitter.logOddsPerLook - (0.16 * 50 / 49 / 2).squareRoot()) < 1e-9, "\(jitter)")
        #expect(plan.render(projectName: "plan").contains("and each pass scoring every item afresh, ±0.29\n"
                                                                 + "                         in log-odds, as people's latest 50 decisions moved\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.json(projectName: "plan").utf8)) as? [String: Any])
        #expect(abs((json["loop_jitter_log_odds"] as? Double ?? 0) - jitter.logOddsPerLook) < 1e-12)
        // A reviewer's ruling shows the votes' label, not the model's: it does not count.
        for itemId in Int64(291)...300 {
            try shownStore.recordDecision(Decision(itemId: itemId, annotator: "reviewer", kind: .adjudicate, label: "a",
                                                   shownLabel: "b", shownConfidence: 0.01))
        }
        #expect(try BudgetPlan.make(store: shownStore, config: config, budget: nil, prices: prices).jitter == jitter)
    }

    @Test func withoutPreLabelsOrAPriceForPeopleItSaysWhatToDo() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        _ = try store.importItems { sink in try sink.add(ImportRecord(text: "one")) }
        var config = ProjectConfig(name: "plan", labels: Self.labels)
        config.llm.model = "m"
        #expect(throws: BudgetPlan.PlanError.noPredictions(model: "m")) {
            try BudgetPlan.make(store: store, config: config, budget: nil, prices: .init(humanPerItem: 0.1, modelPerItem: 0))
        }
        #expect(BudgetPlan.PlanError.noPredictions(model: "m").description.contains("run `annotty prelabel` first"))
        #expect(throws: BudgetPlan.PlanError.noHumanPrice) {
            try BudgetPlan.make(store: store, config: config, budget: 100, prices: .init(humanPerItem: nil, modelPerItem: 0))
        }
    }

    @Test func pricesComeFromTheConfigTheFlagsOrTheRecordedCost() throws {
        let (dir, store, config) = try Self.project()
        _ = dir
        var configured = config
        configured.costs = CostSettings(humanPerItem: 0.1, llmPerItem: 0.005)
        #expect(try BudgetPlan.Prices.from(config: configured, store: store)
            == .init(humanPerItem: 0.1, modelPerItem: 0.005, modelPriceSource: "llm_per_item in annotty.toml"))
        #expect(try BudgetPlan.Prices.from(config: configured, store: store, humanCost: 0.2, modelCost: 0.01)
            == .init(humanPerItem: 0.2, modelPerItem: 0.01, modelPriceSource: "--model-cost"))
        // Nothing configured and no cost recorded: pre-labels at $0, and it says so.
        let unset = try BudgetPlan.Prices.from(config: config, store: store)
        #expect(unset.humanPerItem == nil && unset.modelPerItem == 0 && unset.modelPriceSource.contains("set llm_per_item"))
        // A recorded cost: its mean per call (one call of $0.003 beside 385 free ones).
        var paid = Self.prediction(390, 0.9)
        paid.costUSD = 0.386 * 3
        try store.savePrediction(paid)
        let measured = try BudgetPlan.Prices.from(config: config, store: store)
        #expect(abs(measured.modelPerItem - 0.003) < 1e-12, "\(measured)")
        #expect(measured.modelPriceSource.hasPrefix("measured: $1.1580 over 386 calls"))
    }

    /// A cascade: "m" pre-labels every item at 0.6 and "s" was asked about items 1-200 (decided,
    /// all right at 0.97) and 301-350 (open). Items 201-300 were decided on m's pre-label, half
    /// wrong; 351-400 are open on m's. Counted under the tier shown last, s's 200 outcomes bound
    /// the error at 1.9%: threshold 0.97, s's 50 open items auto-accepted. m's 50 are under
    /// `escalate_below` (0.9), so they await s, which the router will not auto-accept without:
    /// forecast like s's open pre-labels, they are auto-accepted too, each charged a pre-label.
    /// Under an `escalate_below` of 0.5 they are routed on m's 0.6: to people. Planned with m
    /// alone, the 0.97 evidence would be missed and s's open items taken for unlabelled.
    @Test func aCascadeIsPlannedWithEveryTiersEvidenceAndEachOpenItemUnderItsTier() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        _ = try store.importItems { sink in for index in 1...400 { try sink.add(ImportRecord(text: "item \(index)")) } }
        func save(_ itemId: Int64, _ model: String, _ confidence: Double) throws {
            try store.savePrediction(Prediction(itemId: itemId, model: model, label: "a",
                                                probabilities: ["a": confidence, "b": 1 - confidence]))
        }
        for itemId in Int64(1)...400 { try save(itemId, "m", 0.6) }
        for itemId in Array(Int64(1)...200) + Array(Int64(301)...350) { try save(itemId, "s", 0.97) }
        for itemId in Int64(1)...300 {
            let right = itemId <= 200 || itemId % 2 == 0
            try store.recordDecision(Decision(itemId: itemId, annotator: "ann", kind: right ? .accept : .correct,
                                              label: right ? "a" : "b"))
        }
        var config = ProjectConfig(name: "plan", labels: Self.labels)
        config.llm.model = "m"
        config.cascade.model = "s"
        let plan = try BudgetPlan.make(store: store, config: config, budget: nil,
                                       prices: BudgetPlan.Prices(humanPerItem: 0.1, modelPerItem: 0.01))
        #expect(plan.cascadeModel == "s" && plan.calibratorKind == "identity (m), identity (s)")
        #expect(plan.verifiedOutcomes == 300 && plan.prelabelledOpen == 50 && plan.unprelabelledOpen == 0)
        #expect(plan.awaitingEscalationOpen == 50 && plan.unusableOpen == 0)
        #expect(plan.forecast.threshold == 0.97)
        #expect(plan.forecast.autoAccepted == 100 && plan.forecast.toPeople == 0)
        #expect(abs(plan.forecast.modelCost - 0.5) < 1e-9, "\(plan.forecast.modelCost)")
        let report = plan.render(projectName: "plan")
        #expect(report.hasPrefix("plan for plan: model m then s (cascade), calibration identity (m), identity (s)"))
        #expect(report.contains("50 awaiting s (under escalate_below): forecast like its pre-labels"), "\(report)")
        #expect(report.contains("$0.50 (50 pre-labels still to make at $0.01"), "\(report)")

        config.cascade.escalateBelow = 0.5
        let lower = try BudgetPlan.make(store: store, config: config, budget: nil,
                                        prices: BudgetPlan.Prices(humanPerItem: 0.1, modelPerItem: 0))
        #expect(lower.prelabelledOpen == 100 && lower.awaitingEscalationOpen == 0)
        #expect(lower.forecast.autoAccepted == 50 && lower.forecast.toPeople == 50)
        config.cascade.escalateBelow = 0.9

        // Without the cascade configured, m alone: its outcomes at 0.6 bound nothing.
        config.cascade.model = ""
        let alone = try BudgetPlan.make(store: store, config: config, budget: nil,
                                        prices: BudgetPlan.Prices(humanPerItem: 0.1, modelPerItem: 0))
        #expect(alone.cascadeModel == nil && alone.forecast.threshold == nil && alone.forecast.toPeople == 100)
        #expect(alone.render(projectName: "plan").contains("as the loop goes on     100 to people (100–100)"))

        // Nothing open: no forecast of the loop to print.
        for itemId in Int64(301)...400 { try store.recordDecision(Decision(itemId: itemId, annotator: "ann", kind: .accept, label: "a")) }
        let done = try BudgetPlan.make(store: store, config: config, budget: nil,
                                       prices: BudgetPlan.Prices(humanPerItem: 0.1, modelPerItem: 0))
        #expect(done.openItems == 0 && !done.render(projectName: "plan").contains("as the loop goes on"))
    }
}
