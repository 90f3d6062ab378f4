import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing
@testable import AnnottyLoop

/// The replay runs the real loop; its counts on a case small enough to check by hand.
@Suite struct LoopReplayTests {
    static let labels = LabelSet(names: ["negative", "positive"])

    /// Six items; the recorded model is right on four (ranked by its confidence: right, right,
    /// wrong, right, wrong, right).
    static func tinyCase() -> (items: [LoopReplay.Item], tier: LoopReplay.Tier) {
        let rows: [(String, String, String, Double)] = [
            ("a", "great, works well", "positive", 0.95), ("b", "awful, broke at once", "negative", 0.9),
            ("c", "fine I guess", "negative", 0.85), ("d", "lovely and bright", "positive", 0.8),
            ("e", "not bad at all", "positive", 0.75), ("f", "terrible smell", "negative", 0.7),
        ]
        let wrong: Set<String> = ["c", "e"]
        var answers: [String: [String: Double]] = [:]
        var items: [LoopReplay.Item] = []
        for (id, text, gold, confidence) in rows {
            let said = wrong.contains(id) ? (gold == "positive" ? "negative" : "positive") : gold
            let other = said == "positive" ? "negative" : "positive"
            answers[id] = [said: confidence, other: 1 - confidence]
            items.append(LoopReplay.Item(id: id, text: text, gold: gold))
        }
        return (items, LoopReplay.Tier(name: "recorded-tiny", answers: answers, pricePerCall: 0.01))
    }

    @Test func allHumanOnATinyCaseCountsEveryDecisionCallAndTheOracle() throws {
        let (items, tier) = Self.tinyCase()
        // With a 20% margin the oracle may take one wrong label: a, b, c (wrong), d, and stops
        // before e, the second wrong one: 4 of 6.
        #expect(LoopReplay.oracleAutoShare(items: items, labels: Self.labels, tier: tier, margin: 0.2) == 4.0 / 6)
        let dir = try TemporaryDirectory()
        var settings = LoopReplay.Settings()
        settings.errorBudget = nil
        settings.targetError = nil
        settings.curveEvery = 3
        settings.secondsPerItem = 60
        settings.halfwayFolder = URL(fileURLWithPath: dir.path("halfway"))
        var points: [LoopReplay.Point] = []
        let report = try LoopReplay.run(items: items, labels: Self.labels, tiers: [tier], settings: settings,
                                        folder: URL(fileURLWithPath: dir.path("replay"))) { points.append($0) }
        // Nothing can be auto-accepted (the default floor and minimum outcomes): people decide all six.
        #expect(report.humanDecisions == 6)
        #expect(report.autoAccepted == 0)
        #expect(report.finalAccuracy == 1)
        #expect(report.savedShare == 0)
        // Each item was asked once, when it was pre-labelled; nothing was asked again.
        #expect(report.llmCalls == 6)
        #expect(abs(report.llmCost - 0.06) < 1e-9)
        #expect(abs(report.humanHours - 0.1) < 1e-9)
        // Points at 0, 3 and 6 decisions; at the start the model is right on 4 of the 6 open items.
        #expect(points.map(\.humanDecisions) == [0, 3, 6])
        #expect(points.first?.open == 6)
        #expect(points.first?.llmAccuracy == 4.0 / 6)
        #expect(points.last?.open == 0)
        // The plan's forecast made halfway (3 of 6 decided): the 3 open items to people, all
        // right, which is what happened.
        let halfway = try #require(report.halfway)
        #expect(halfway.decisionsSoFar == 3 && halfway.openItems == 3)
        #expect(halfway.forecastToPeople == 3 && halfway.measuredToPeople == 3)
        #expect(halfway.measuredAccuracy == 1 && halfway.accuracyWithinInterval)
        // The project as it was then is kept: 3 decided, 3 open, and `annotty plan` on it makes the
        // same forecast again.
        let then = try Project.open(URL(fileURLWithPath: dir.path("halfway")))
        let thenStore = try SQLiteStore(path: then.databaseURL.path)
        #expect(try thenStore.statusCounts().open == 3)
        #expect(try thenStore.finalLabels().count == 3)
        let again = try BudgetPlan.make(store: thenStore, config: then.config, budget: nil,
                                        prices: .init(humanPerItem: nil, modelPerItem: 0, humanAccuracy: 1))
        #expect(again.asTheLoopGoesOn == halfway.loopForecast)
        #expect(again.forecast.toPeople == halfway.forecastToPeople)
        // Every final label is in the store as the person's, and the folder is a project annotty's
        // commands open, with the replay's labels and model.
        let store = try SQLiteStore(path: dir.path("replay/annotty.sqlite"))
        #expect(try store.finalLabels().count == 6)
        let project = try Project.open(URL(fileURLWithPath: dir.path("replay")))
        #expect(project.config.labels.names == Self.labels.names && project.config.llm.model == tier.name)
    }

    @Test func theHalfwayCopyMayNotOverwriteTheReplayedProject() throws {
        let (items, tier) = Self.tinyCase()
        let dir = try TemporaryDirectory()
        var settings = LoopReplay.Settings()
        settings.halfwayFolder = URL(fileURLWithPath: dir.path("replay/"))
        #expect(throws: LoopReplay.ReplayError.self) {
            _ = try LoopReplay.run(items: items, labels: Self.labels, tiers: [tier], settings: settings,
                                   folder: URL(fileURLWithPath: dir.path("replay")))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path("replay/annotty.sqlite")))
    }

    @Test func aFolderThatHoldsAProjectIsNeverWrittenOver() throws {
        let (items, tier) = Self.tinyCase()
        let dir = try TemporaryDirectory()
        let mine = "[project]\nname = \"mine\"\n"
        try FileManager.default.createDirectory(atPath: dir.path("mine"), withIntermediateDirectories: true)
        try mine.write(toFile: dir.path("mine/annotty.toml"), atomically: true, encoding: .utf8)
        var settings = LoopReplay.Settings()
        // As the replayed project, and as the halfway copy.
        for (folder, halfway) in [("mine", nil), ("replay", "mine")] {
            settings.halfwayFolder = halfway.map { URL(fileURLWithPath: dir.path($0)) }
            do {
                _ = try LoopReplay.run(items: items, labels: Self.labels, tiers: [tier], settings: settings,
                                       folder: URL(fileURLWithPath: dir.path(folder)))
                Issue.record("a replay into a folder holding a project went ahead")
            } catch let error as LoopReplay.ReplayError {
                #expect(error.description.contains(dir.path("mine")) && error.description.contains("annotty.toml"))
            }
            #expect(try String(contentsOfFile: dir.path("mine/annotty.toml"), encoding: .utf8) == mine)
            #expect(!FileManager.default.fileExists(atPath: dir.path("mine/annotty.sqlite")))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path("replay/annotty.sqlite")))
    }

    @Test func aWrongAnswerRateMakesThePersonWrongThatOften() throws {
        let (items, tier) = Self.tinyCase()
        let dir = try TemporaryDirectory()
        var settings = LoopReplay.Settings()
        settings.errorBudget = nil
        settings.annotatorErrorRate = 1
        let report = try LoopReplay.run(items: items, labels: Self.labels, tiers: [tier], settings: settings,
                                        folder: URL(fileURLWithPath: dir.path("replay")))
        // Always wrong with two labels: every final label is the other one.
        #expect(report.finalAccuracy == 0)
        #expect(report.allHumanAccuracy == 0)
    }

    /// One recorded prediction (item "a", gold "positive") in `dir`, and a loader of items against it.
    static func oneRecording(in dir: TemporaryDirectory) throws -> (String) throws -> ReplayInput {
        let predictions = dir.path("predictions.jsonl")
        try #"{"id": "a", "gold": "positive", "probabilities": {"positive": 0.9, "negative": 0.1}}"#
            .write(toFile: predictions, atomically: true, encoding: .utf8)
        return { try ReplayInput.load(itemsPath: $0, tiers: [.init(name: "m", paths: [predictions], pricePerCall: 0)]) }
    }

    @Test func inputsNameTheFileAndLineOfABadGoldLabel() throws {
        let dir = try TemporaryDirectory()
        let load = try Self.oneRecording(in: dir)
        let itemsPath = dir.path("items.jsonl")
        try """
        {"id": "a", "text": "fine", "gold": "banana"}
        """.write(toFile: itemsPath, atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) {
            _ = try load(itemsPath)
        }
        do {
            _ = try load(itemsPath)
        } catch let error as InputError {
            #expect(error.file == itemsPath && error.line == 1 && error.message.contains("banana"))
        }
        // Without a gold field the recording's gold is used; an item with no recording is left out.
        try """
        {"id": "a", "text": "fine"}
        {"id": "z", "text": "unrecorded"}
        """.write(toFile: itemsPath, atomically: true, encoding: .utf8)
        let input = try load(itemsPath)
        #expect(input.items.map(\.gold) == ["positive"])
        #expect(input.unrecorded == 1)
    }

    @Test func anItemsOtherColumnsReachTheProjectAsMetadataAndTheGoldDoesNot() throws {
        let dir = try TemporaryDirectory()
        let load = try Self.oneRecording(in: dir)
        let itemsPath = dir.path("items.jsonl")
        try #"{"id": "a", "text": "fine", "stars": 5, "product": "lamp", "gold": "positive"}"#
            .write(toFile: itemsPath, atomically: true, encoding: .utf8)
        let input = try load(itemsPath)
        let item = try #require(input.items.first)
        #expect(Item(text: item.text, metadataJSON: item.metadataJSON).metadataFields
                == [ItemField(name: "stars", value: "5"), ItemField(name: "product", value: "lamp")])
        // Kept in the replay's project as `annotty import` keeps them: the learner reads them there.
        let folder = URL(fileURLWithPath: dir.path("replay"))
        var settings = LoopReplay.Settings()
        settings.errorBudget = nil
        _ = try LoopReplay.run(items: input.items, labels: input.labels, tiers: input.tiers, settings: settings, folder: folder)
        let store = try SQLiteStore(path: folder.appendingPathComponent("annotty.sqlite").path)
        #expect(try store.items(ids: [1]).first?.metadataFields.map(\.name) == ["stars", "product"])
    }
}

/// The cascade through the loop: the cheap tier pre-labels every item, the stronger one is asked
/// only about what the cheap tier (and the learner) are unsure of, each item at most once.
@Suite struct CascadeLoopTests {
    @Test func onlyTheUnsureItemsGoToTheStrongerTierAndItsCallsAreCountedApart() throws {
        let (items, strong) = LoopReplayTests.tinyCase()
        // The cheap tier is sure (0.95) of a, b and c and unsure (0.55) of d, e and f.
        var answers: [String: [String: Double]] = [:]
        for item in items {
            let sure = ["a", "b", "c"].contains(item.id)
            let other = item.gold == "positive" ? "negative" : "positive"
            answers[item.id] = [item.gold: sure ? 0.95 : 0.55, other: sure ? 0.05 : 0.45]
        }
        let cheap = LoopReplay.Tier(name: "cheap", answers: answers, pricePerCall: 0.001)
        let dir = try TemporaryDirectory()
        var settings = LoopReplay.Settings()
        settings.errorBudget = nil
        settings.escalateBelow = 0.9
        settings.escalationsPerCycle = 10
        let report = try LoopReplay.run(items: items, labels: LoopReplayTests.labels, tiers: [cheap, strong], settings: settings,
                                        folder: URL(fileURLWithPath: dir.path("replay")))
        #expect(report.tiers.map(\.name) == ["cheap", "recorded-tiny"])
        #expect(report.tiers[0].calls == 6)
        let store = try SQLiteStore(path: dir.path("replay/annotty.sqlite"))
        let strongPredictions = try store.allLatestPredictions(model: "recorded-tiny")
        let itemsById = Dictionary(uniqueKeysWithValues: try store.items(ids: strongPredictions.map(\.itemId)).map { ($0.id, $0) })
        let escalated = Set(strongPredictions.compactMap { itemsById[$0.itemId]?.externalId })
        // The unsure ones went up before anyone saw them; no item was asked twice.
        #expect(escalated.isSuperset(of: ["d", "e", "f"]))
        #expect(report.tiers[1].calls == escalated.count)
        #expect(abs(report.tiers[1].cost - Double(escalated.count) * 0.01) < 1e-9)
        #expect(report.humanDecisions == 6 && report.finalAccuracy == 1)
    }

    /// 60 items; both tiers say "positive" to all, the cheap tier unsure; nothing auto-accepted
    /// (every item goes to the person). Asked 5 a cycle, tapered to `taperedLimit` from 20 labels.
    static func tapered(afterLabels: Int, taperedLimit: Int) throws -> LoopReplay.Report {
        var items: [LoopReplay.Item] = []
        var strong: [String: [String: Double]] = [:]
        var cheap: [String: [String: Double]] = [:]
        for index in 0..<60 {
            let gold = index % 2 == 0 ? "positive" : "negative"
            items.append(LoopReplay.Item(id: "i\(index)", text: "thing number \(index)", gold: gold))
            strong["i\(index)"] = ["positive": 0.7, "negative": 0.3]
            cheap["i\(index)"] = ["positive": 0.55, "negative": 0.45]
        }
        let dir = try TemporaryDirectory()
        var settings = LoopReplay.Settings()
        settings.errorBudget = nil
        settings.targetError = 1e-9
        // Every pre-label counts as unsure: asked until the limit says no.
        settings.escalateBelow = 1
        settings.escalationsPerCycle = 5
        settings.taperAfterLabels = afterLabels
        settings.taperedEscalationsPerCycle = taperedLimit
        return try LoopReplay.run(items: items, labels: LoopReplayTests.labels,
                                  tiers: [LoopReplay.Tier(name: "cheap", answers: cheap), LoopReplay.Tier(name: "strong", answers: strong)],
                                  settings: settings, folder: URL(fileURLWithPath: dir.path("replay")))
    }

    @Test func fromTheTaperOnTheStrongerTierIsAskedLess() throws {
        let steady = try Self.tapered(afterLabels: 0, taperedLimit: 0)
        let tapered = try Self.tapered(afterLabels: 20, taperedLimit: 0)
        // Asked 5 a cycle (a cycle every 5 decisions): about one call per item labelled, until 20
        // labels with the taper, to the end without.
        #expect(steady.tiers[1].calls >= 40)
        #expect(tapered.tiers[1].calls >= 15 && tapered.tiers[1].calls <= 20 + 5)
        #expect(tapered.humanDecisions == 60 && steady.humanDecisions == 60)
        #expect(ReplayReportText.summary(tapered, margin: 0.02)
            .contains("strong asked about 5 a cycle until people had labelled 20, 0 a cycle after"))
        #expect(!ReplayReportText.summary(steady, margin: 0.02).contains("a cycle after"))
    }
}

/// `--audit-rate`: the simulated person audits that share of the auto-accepted items through the
/// audit screen as labeling goes; each audit is a human decision and turns the item's final label
/// into the person's.
@Suite struct LoopReplayAuditTests {
    /// 80 items the recorded model is sure of (0.97; 0.99 where wrong, on every twentieth), whose texts tell the
    /// learner nothing (so it cannot single out the wrong ones); a 20% target error.
    static func sureCase() -> (items: [LoopReplay.Item], tier: LoopReplay.Tier) {
        var answers: [String: [String: Double]] = [:]
        var items: [LoopReplay.Item] = []
        for index in 0..<80 {
            let gold = index % 2 == 0 ? "positive" : "negative"
            let said = index % 20 == 3 ? (gold == "positive" ? "negative" : "positive") : gold
            // The wrong ones among the surest, so that some are auto-accepted.
            let sure = said == gold ? 0.97 : 0.99
            answers["i\(index)"] = [said: sure, (said == "positive" ? "negative" : "positive"): 1 - sure]
            items.append(LoopReplay.Item(id: "i\(index)", text: "thing number \(index)", gold: gold))
        }
        return (items, LoopReplay.Tier(name: "recorded-sure", answers: answers))
    }

    /// The report, and each item's decisions in the replayed project.
    static func replay(auditRate: Double) throws -> (LoopReplay.Report, [Int64: [Decision]]) {
        let (items, tier) = sureCase()
        let dir = try TemporaryDirectory()
        var settings = LoopReplay.Settings()
        settings.errorBudget = nil
        settings.targetError = 0.2
        settings.auditRate = auditRate
        let report = try LoopReplay.run(items: items, labels: LoopReplayTests.labels, tiers: [tier], settings: settings,
                                        folder: URL(fileURLWithPath: dir.path("replay")))
        let store = try SQLiteStore(path: dir.path("replay/annotty.sqlite"))
        return (report, Dictionary(grouping: try store.allDecisions(), by: \.itemId))
    }

    @Test func halfTheAutoAcceptedItemsAreAuditedAndEachAuditIsAHumanDecision() throws {
        let (plain, _) = try Self.replay(auditRate: 0)
        #expect(plain.audits == 0 && plain.autoAccepted > 0)

        let (report, decisions) = try Self.replay(auditRate: 0.5)
        let acceptedEver = decisions.values.filter { $0.contains { $0.kind == .auto } }.count
        let audits = decisions.values.flatMap { $0 }.filter { $0.kind == .audit }
        #expect(report.audits > 0)
        #expect(report.audits == audits.count && report.audits == acceptedEver / 2)
        // An item auto-accepted while on the person's screen is the person's (decided there).
        #expect(report.audits + report.autoAccepted <= acceptedEver)
        // Every audit follows the router's auto-accept of the same item, and is the person's.
        for audit in audits {
            let before = decisions[audit.itemId]!.filter { $0.id < audit.id }
            #expect(before.contains { $0.kind == .auto } && audit.annotator == "replay")
        }
        let disagreeing = audits.filter { audit in decisions[audit.itemId]!.first { $0.kind == .auto }?.label != audit.label }
        #expect(report.auditsWrong == disagreeing.count)
        let human = decisions.values.flatMap { $0 }.filter { $0.annotator == "replay" && $0.kind != .skip }.count
        #expect(report.humanDecisions == human)
        #expect(ReplayReportText.summary(report, margin: 0.02).contains(
            "audits                     \(report.audits) of the human decisions, \(report.auditsWrong) of them finding the auto-accepted label wrong\n"))
    }

    @Test func auditingEveryAutoAcceptedItemLeavesOnlyPeoplesLabels() throws {
        let (report, decisions) = try Self.replay(auditRate: 1)
        #expect(report.audits > 0)
        #expect(report.autoAccepted == 0)
        #expect(report.finalAccuracy == 1)
        // Every auto-accepted item was audited; the audits that found a wrong label are counted.
        let accepted = decisions.values.compactMap { $0.first { $0.kind == .auto } }
        let audited = decisions.values.compactMap { $0.first { $0.kind == .audit } }
        #expect(accepted.count == audited.count)
        let wrong = audited.filter { audit in accepted.first { $0.itemId == audit.itemId }?.label != audit.label }.count
        #expect(report.auditsWrong == wrong)
    }
}
