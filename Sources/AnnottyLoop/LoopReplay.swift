import AnnottyCore
import AnnottyLLM
import AnnottyTUI
import Foundation
import Synchronization

/// The labeling loop replayed end to end over items with gold labels: the real components, not a
/// re-implementation. A throwaway project (a real SQLite store) is pre-labelled through the real
/// predictor with a model's recorded answers (`RecordedScorer`), as `annotty prelabel` would; then
/// a simulated person works the real labeling screen (controller, reducer, learning cycle with the
/// task learner, calibration, opinion combiner, routing with auto-accepts, re-ranking), answering
/// the gold label or, at a set rate, a wrong one. Every `curveEvery` decisions it measures what
/// labeling has bought so far; at the end, what it cost and how right the final labels are.
public enum LoopReplay {
    public struct Item: Sendable {
        public var id: String
        public var text: String
        public var gold: String
        /// The item's other columns as a JSON object, kept as `annotty import` keeps them: what
        /// the screen shows under the text and the task learner reads (`ItemFeaturizer`).
        public var metadataJSON: String?

        public init(id: String, text: String, gold: String, metadataJSON: String? = nil) {
            self.id = id
            self.text = text
            self.gold = gold
            self.metadataJSON = metadataJSON
        }
    }

    /// A model's recorded answers, by item id, and what one call costs.
    public struct Tier: Sendable {
        public var name: String
        public var answers: [String: [String: Double]]
        public var pricePerCall: Double

        public init(name: String, answers: [String: [String: Double]], pricePerCall: Double = 0) {
            self.name = name
            self.answers = answers
            self.pricePerCall = pricePerCall
        }
    }

    public struct Settings: Sendable {
        /// `[routing] auto_accept_error_budget`: the share of items whose final label auto-accepting
        /// may make wrong (the replay's 2-point bound); nil leaves the threshold to the target or `auto_accept`.
        public var errorBudget: Double? = 0.02
        /// `[routing] auto_accept_target_error`; used when there is no budget.
        public var targetError: Double?
        public var rerankEvery = 5
        /// How often the simulated person gives a wrong label (a random other one).
        public var annotatorErrorRate = 0.0
        /// The person's time per decision, for the hours reported.
        public var secondsPerItem = 10.0
        /// Measure every this many human decisions.
        public var curveEvery = 50
        /// The final-accuracy margin the oracle's auto-accepts may cost (2 points).
        public var oracleMargin = 0.02
        /// The simulated person's mistakes, and the path: each seed above 1 moves the learning
        /// cycle's seeds (the salt of the learner's folds, the queue's random share) by a million, so
        /// that one replay can be told from the chance of its path (seed 1: `annotty label`'s seeds).
        public var seed: UInt64 = 1
        /// The share of auto-accepted items the simulated person audits (`annotty audit`, a uniform
        /// sample) as labeling goes: after each learning cycle, audits until that share of the items
        /// auto-accepted so far has been audited. Each audit is a human decision, and an outcome the
        /// router's evidence counts. 0: none, as a project whose people never run `annotty audit`.
        public var auditRate = 0.0
        /// With a second tier: `[cascade] escalate_below` and `max_per_cycle`.
        public var escalateBelow = 0.9
        public var escalationsPerCycle = 10
        /// `[cascade] taper_after_labels` (0: never) and `tapered_max_per_cycle`.
        public var taperAfterLabels = 0
        public var taperedEscalationsPerCycle = 2
        /// Where to keep a copy of the project as it was when the halfway forecast was made, so that
        /// `annotty plan -p` on it gives that forecast again in seconds (nil: no copy).
        public var halfwayFolder: URL?

        public init() {}

        /// What `seed` adds to the learning cycle's seeds; also the folds' salt (`[queue] fold_seed`).
        var learningSeedOffset: UInt64 { (max(1, seed) - 1) &* 1_000_000 }
    }

    /// What labeling had bought after `humanDecisions`.
    public struct Point: Sendable, Equatable {
        public var humanDecisions: Int
        public var autoAccepted: Int
        public var autoWrong: Int
        public var open: Int
        /// Accuracy on the open items of the LLM's calibrated label, the learner's and the pre-label shown.
        public var llmAccuracy: Double?
        public var learnerAccuracy: Double?
        public var shownAccuracy: Double?
        /// What the shown pre-label rested on at this point.
        public var combinerSource: String
    }

    /// A tier's calls in a replay.
    public struct TierUsage: Sendable, Equatable {
        public var name: String
        public var calls: Int
        public var cost: Double
    }

    /// `annotty plan`'s forecast for the open items, made halfway through the replay, next to
    /// what then happened to those items.
    public struct HalfwayCheck: Sendable, Equatable {
        public var decisionsSoFar: Int
        public var openItems: Int
        public var forecastToPeople: Int
        public var forecastAutoAccepted: Int
        public var forecastAccuracy: Double
        public var forecastInterval: ClosedRange<Double>
        /// The plan's forecast as the loop goes on (`BudgetPlan.asTheLoopGoesOn`).
        public var loopForecast: LoopForecast
        public var measuredToPeople: Int
        public var measuredAccuracy: Double
        public var accuracyWithinInterval: Bool { forecastInterval.contains(measuredAccuracy) }
        public var loopPeopleWithinInterval: Bool { loopForecast.toPeopleInterval.contains(measuredToPeople) }
        public var loopAccuracyWithinInterval: Bool { loopForecast.accuracyInterval.contains(measuredAccuracy) }
    }

    public struct Report: Sendable {
        public var items: Int
        public var halfway: HalfwayCheck?
        /// The strongest tier (the oracle's).
        public var tier: String
        public var humanDecisions: Int
        /// Of the human decisions, audits of auto-accepted items, and how many found the label wrong.
        public var audits = 0
        public var auditsWrong = 0
        public var autoAccepted: Int
        public var autoWrong: Int
        public var finalAccuracy: Double
        /// Every item labelled by the simulated person: the all-human baseline.
        public var allHumanAccuracy: Double
        /// Share of items the oracle could auto-accept within `oracleMargin` of all-human accuracy.
        public var oracleAutoShare: Double
        /// Calls and cost per tier, cheapest first.
        public var tiers: [TierUsage]
        /// In a cascade: which items went to the stronger tier, and how many a cycle.
        public var escalationPolicy: EscalationPolicy?
        public var llmCalls: Int { tiers.reduce(0) { $0 + $1.calls } }
        public var llmCost: Double { tiers.reduce(0) { $0 + $1.cost } }
        public var humanHours: Double
        public var curve: [Point]

        public var savedShare: Double { items == 0 ? 0 : 1 - Double(humanDecisions) / Double(items) }
        public var autoError: Double? { autoAccepted == 0 ? nil : Double(autoWrong) / Double(autoAccepted) }
        /// Share of the oracle's saving this run achieved.
        public var shareOfOracle: Double? { oracleAutoShare > 0 ? savedShare / oracleAutoShare : nil }
    }

    public struct ReplayError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Replays labeling `items` in a project under `folder` (created; left for inspection);
    /// `progress` is told about each curve point. With one tier it pre-labels every item; with
    /// two, a cascade: the first pre-labels every item (`[llm]`), the second
    /// (`[cascade]`) is asked only about what the first and the task learner are unsure of.
    public static func run(items: [Item], labels: LabelSet, tiers: [Tier], settings: Settings, folder: URL,
                           progress: (Point) -> Void = { _ in }) throws -> Report {
        guard !items.isEmpty else { throw ReplayError(description: "no items to replay") }
        guard let tier = tiers.first, tiers.count <= 2 else { throw ReplayError(description: "name one or two tiers") }
        for item in items where !labels.contains(item.gold) {
            throw ReplayError(description: "item \(item.id): gold label \"\(item.gold)\" is not one of the labels")
        }
        try checkFolders(folder, halfway: settings.halfwayFolder)
        for target in [folder, settings.halfwayFolder].compactMap({ $0 }) {
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        }
        var config = ProjectConfig(name: "replay", labels: labels)
        config.llm.provider = .openai
        config.llm.baseURL = "http://127.0.0.1:9/v1"
        config.llm.model = tier.name
        config.llm.demonstrations = 0
        config.llm.maxConcurrency = 1
        config.queue.rerankEvery = settings.rerankEvery
        // Written to the project's annotty.toml: `annotty plan` on it, or on its halfway copy,
        // then reads the folds this path's loop read.
        if settings.learningSeedOffset > 0 { config.queue.foldSeed = Int(clamping: settings.learningSeedOffset) }
        config.routing.autoAcceptTargetError = settings.targetError
        config.routing.autoAcceptErrorBudget = settings.errorBudget
        if tiers.count == 2 {
            config.cascade.model = tiers[1].name
            config.cascade.escalateBelow = settings.escalateBelow
            config.cascade.maxPerCycle = settings.escalationsPerCycle
            config.cascade.taperAfterLabels = settings.taperAfterLabels
            config.cascade.taperedMaxPerCycle = settings.taperedEscalationsPerCycle
        }
        let project = Project(folder: folder, config: config)
        // A project annotty's other commands open as it is (`stats`, `plan`, `export`, `browse`);
        // its LLM address is a placeholder: the answers were recorded.
        try ConfigTemplate.render(config).write(to: project.configURL, atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: project.databaseURL.path, overlapPolicy: OverlapPolicy(config.annotation))
        _ = try store.importItems { sink in
            for item in items { try sink.add(ImportRecord(externalId: item.id, text: item.text, metadataJSON: item.metadataJSON)) }
        }
        let itemIds = try store.openItemIds(limit: Int.max)
        let stored = try store.items(ids: itemIds)
        let goldById = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.gold) })
        var gold: [Int64: String] = [:]
        for item in stored { gold[item.id] = item.externalId.flatMap { goldById[$0] } }

        let counters = tiers.map { _ in CallCounter() }
        let guidelines = Guidelines(markdown: "", labels: labels)
        func tierSession(_ index: Int, settings: LLMSettings) -> LLMSession {
            var answersByText: [String: [String: Double]] = [:]
            for item in items { if let answer = tiers[index].answers[item.id] { answersByText[item.text] = answer } }
            let scorer = CountingScorer(inner: RecordedScorer(name: tiers[index].name, answersByText: answersByText),
                                        calls: counters[index])
            return LLMSession(settings: settings, labels: labels, guidelines: guidelines, store: store,
                              environment: [:], scorerFactory: { _, _ in scorer })
        }
        let session = tierSession(0, settings: config.llm)
        defer { session.stop() }
        let escalationSession = tiers.count == 2 ? tierSession(1, settings: config.cascade.settings(over: config.llm)) : nil
        // Pre-label every item, as `annotty prelabel` does, then route once.
        let predictor = try session.start()
        _ = try BulkPrelabeler(predictor: predictor, store: store, concurrency: 1).run(itemIds: itemIds)
        try RoutingPass(store: store, config: config).run(model: tier.name)

        let virtualTime = Mutex(1000.0)
        let loop = try LabelingLoop(project: project, store: store, annotator: "replay", guidelines: guidelines,
                                    model: .session(session), escalationSession: escalationSession,
                                    clock: { virtualTime.withLock { $0 } }, tickInterval: nil,
                                    learningSeedOffset: settings.learningSeedOffset)
        defer { loop.stop() }
        let screen = MemoryScreen(size: ScreenSize(rows: 24, columns: 80), capabilities: .full)
        let controller = loop.makeController(screen: screen, clock: {
            virtualTime.withLock { time in
                time += 0.001
                return time
            }
        })
        // Events handled and deferred work run until the screen is still, on either screen.
        func settle(_ screen: LabelingController) {
            screen.drainInbox()
            screen.renderIfNeeded()
            while screen.runDeferred() { screen.renderIfNeeded() }
        }
        func settle() { settle(controller) }
        controller.start()
        settle()
        loop.startBackground()

        var random = SeededGenerator(seed: settings.seed)
        // The plan's forecast, made once half the items are decided.
        var forecast: (decisions: Int, open: Set<Int64>, plan: BudgetPlan)?
        var forecastDue = true
        var curve: [Point] = []
        var decisions = 0
        var nextPoint = 0
        func measure() throws {
            let point = try Self.measure(store: store, config: config, gold: gold, humanDecisions: decisions)
            curve.append(point)
            progress(point)
        }
        // The simulated person's key for an item: its gold label, or a random other one at the error rate.
        func answerKey(itemId: Int64, externalId: String?) throws -> KeyPress {
            guard let truth = gold[itemId] else {
                throw ReplayError(description: "item \(externalId ?? String(itemId)) has no gold label")
            }
            var answer = truth
            if settings.annotatorErrorRate > 0, random.nextUnitDouble() < settings.annotatorErrorRate {
                let others = labels.names.filter { $0 != truth }
                if !others.isEmpty { answer = others[random.nextIndex(below: others.count)] }
            }
            guard let key = labels.labels.first(where: { $0.name == answer }).flatMap({ KeyPress(name: $0.key) }) else {
                throw ReplayError(description: "label \"\(answer)\" has no key")
            }
            return key
        }
        // The auto-accepted count when audits were last brought up to date: until the router accepts
        // more, none are due, and the decisions need not all be read again.
        var autoAcceptedWhenAudited = -1
        // `annotty audit` on a uniform sample, through its own screen, until `auditRate` of the
        // items auto-accepted so far are audited.
        func auditDue() throws {
            let autoAccepted = try store.statusCounts().autoAccepted
            guard autoAccepted != autoAcceptedWhenAudited else { return }
            defer { autoAcceptedWhenAudited = (try? store.statusCounts().autoAccepted) ?? -1 }
            let plan = try AuditPlan(store: store)
            let due = Int((settings.auditRate * Double(plan.items.count)).rounded(.down)) - plan.audited.count
            guard due > 0, case .ready(let audit, _) = try LabelingLoop.audit(
                project: project, store: store, annotator: "replay", guidelines: guidelines, sample: due,
                sampling: .uniform, seed: settings.seed &+ UInt64(decisions)) else { return }
            defer { audit.stop() }
            let auditController = audit.makeController(screen: MemoryScreen(size: ScreenSize(rows: 24, columns: 80),
                                                                            capabilities: .full),
                                                       clock: { virtualTime.withLock { $0 } })
            auditController.start()
            settle(auditController)
            while let shown = auditController.state.current {
                auditController.handleKey(try answerKey(itemId: shown.item.id, externalId: shown.item.externalId))
                settle(auditController)
                decisions += 1
                virtualTime.withLock { $0 += settings.secondsPerItem }
            }
        }
        while true {
            _ = loop.learning?.waitUntilIdle(timeout: 120)
            settle()
            // After each cycle's routing, the last one included.
            if settings.auditRate > 0 { try auditDue() }
            guard let current = controller.state.current else {
                if controller.state.queueExhausted && !controller.state.claimInFlight { break }
                _ = loop.inbox.waitForEvents(timeout: 1)
                continue
            }
            // Audits add several decisions at once: a point where a multiple of `curveEvery` is passed.
            if decisions >= nextPoint {
                try measure()
                nextPoint = (decisions / max(1, settings.curveEvery) + 1) * max(1, settings.curveEvery)
            }
            if forecastDue, let counts = try? store.statusCounts(), counts.open * 2 <= counts.items {
                forecastDue = false
                if let halfway = settings.halfwayFolder { try keepCopy(of: project, store: store, in: halfway) }
                let prices = BudgetPlan.Prices(humanPerItem: nil, modelPerItem: 0, humanAccuracy: 1 - settings.annotatorErrorRate)
                if let plan = try? BudgetPlan.make(store: store, config: config, budget: nil, prices: prices) {
                    forecast = (decisions, Set(try store.openItemIds(limit: Int.max)), plan)
                }
            }
            controller.handleKey(try answerKey(itemId: current.item.id, externalId: current.item.externalId))
            settle()
            decisions += 1
            virtualTime.withLock { $0 += settings.secondsPerItem }
        }
        try measure()

        let finals = try store.finalLabels()
        var correct = 0, autoAccepted = 0, autoWrong = 0
        for (itemId, final) in finals {
            let right = gold[itemId] == final.label
            if right { correct += 1 }
            if final.kind == .auto {
                autoAccepted += 1
                if !right { autoWrong += 1 }
            }
        }
        let humanDecisions = try store.allDecisions().filter { $0.annotator == "replay" && $0.kind != .skip }.count
        let audited = try AuditPlan(store: store).audited
        let allHuman = 1 - settings.annotatorErrorRate
        let strongest = tiers[tiers.count - 1]
        let halfway = forecast.map { forecast in
            let finalsThen = forecast.open.compactMap { itemId in finals[itemId].map { (itemId, $0) } }
            let right = finalsThen.filter { gold[$0.0] == $0.1.label }.count
            return HalfwayCheck(decisionsSoFar: forecast.decisions, openItems: forecast.open.count,
                                forecastToPeople: forecast.plan.forecast.toPeople,
                                forecastAutoAccepted: forecast.plan.forecast.autoAccepted,
                                forecastAccuracy: forecast.plan.forecast.expectedAccuracy,
                                forecastInterval: forecast.plan.forecast.accuracyInterval,
                                loopForecast: forecast.plan.asTheLoopGoesOn,
                                measuredToPeople: finalsThen.filter { $0.1.kind != .auto }.count,
                                measuredAccuracy: finalsThen.isEmpty ? 1 : Double(right) / Double(finalsThen.count))
        }
        return Report(items: items.count, halfway: halfway, tier: strongest.name, humanDecisions: humanDecisions,
                      audits: audited.count, auditsWrong: audited.filter { $0.isError == true }.count, autoAccepted: autoAccepted,
                      autoWrong: autoWrong, finalAccuracy: Double(correct) / Double(items.count),
                      allHumanAccuracy: allHuman,
                      oracleAutoShare: oracleAutoShare(items: items, labels: labels, tier: strongest, margin: settings.oracleMargin),
                      tiers: zip(tiers, counters).map { tier, counter in
                          TierUsage(name: tier.name, calls: counter.count, cost: Double(counter.count) * tier.pricePerCall)
                      },
                      escalationPolicy: loop.escalation?.policy,
                      humanHours: Double(humanDecisions) * settings.secondsPerItem / 3600, curve: curve)
    }

    /// Throws unless both folders may take a new project: a project there already (a real one,
    /// or an earlier replay's) is never written over, and the halfway copy needs its own folder.
    /// `run` checks first; a command may check before it prints anything.
    public static func checkFolders(_ folder: URL, halfway: URL?) throws {
        if let halfway, halfway.standardizedFileURL.path == folder.standardizedFileURL.path {
            throw ReplayError(description: "the halfway copy needs a folder of its own, not the replayed project's (\(folder.path))")
        }
        for target in [folder, halfway].compactMap({ $0 }) {
            let names = [ProjectConfig.fileName, Project.databaseFileName]
            if let found = names.first(where: { FileManager.default.fileExists(atPath: target.appendingPathComponent($0).path) }) {
                throw ReplayError(description: "\(target.path) already holds a project (\(found)); the replay "
                                  + "writes a new one there: name a new or empty folder, or remove that one first")
            }
        }
    }

    /// The project as it is now, in `folder` (made, empty, by `run`): its annotty.toml and a
    /// consistent copy of its database (SQLite's online backup), which annotty's commands open
    /// like any project.
    static func keepCopy(of project: Project, store: SQLiteStore, in folder: URL) throws {
        let copy = Project(folder: folder, config: project.config)
        try FileManager.default.copyItem(at: project.configURL, to: copy.configURL)
        try store.backup(to: copy.databaseURL.path)
    }

    /// The share of items an oracle could auto-accept: the tier's most confident items, as many as
    /// keep its wrong labels within `margin` of the item count (knowing the truth).
    public static func oracleAutoShare(items: [Item], labels: LabelSet, tier: Tier, margin: Double) -> Double {
        let ranked = items.compactMap { item -> (confidence: Double, right: Bool)? in
            guard let answer = tier.answers[item.id],
                  let top = labels.names.max(by: { (answer[$0] ?? 0) < (answer[$1] ?? 0) }) else { return nil }
            return (answer[top] ?? 0, top == item.gold)
        }.sorted { $0.confidence > $1.confidence }
        let allowed = Int((margin * Double(items.count)).rounded(.down))
        var wrong = 0, taken = 0
        for entry in ranked {
            if !entry.right {
                if wrong == allowed { break }
                wrong += 1
            }
            taken += 1
        }
        return items.isEmpty ? 0 : Double(taken) / Double(items.count)
    }

    /// Accuracy of each opinion on the open items, read from the store as the screen would get it.
    static func measure(store: any AnnotationStore, config: ProjectConfig, gold: [Int64: String],
                        humanDecisions: Int) throws -> Point {
        let labels = config.labels
        let open = try store.openItemIds(limit: Int.max)
        let predictions = try store.latestPredictions(itemIds: open)
        let learner = try store.learnerOpinions(itemIds: open)
        var calibrations: [String: ModelCalibration] = [:]
        func calibration(_ model: String) throws -> ModelCalibration {
            if let known = calibrations[model] { return known }
            let loaded = try ModelCalibration.load(store: store, model: model)
            calibrations[model] = loaded
            return loaded
        }
        let combinerSource = try calibration(config.llm.model).combiner?.source.rawValue ?? "llm"
        var llmRight = 0, llmCount = 0, learnerRight = 0, learnerCount = 0, shownRight = 0, shownCount = 0
        for itemId in open {
            guard let truth = gold[itemId] else { continue }
            if let prediction = predictions[itemId], prediction.isValid {
                let own = try calibration(prediction.model).calibratedPrediction(probabilities: prediction.vector(over: labels))
                llmCount += 1
                if labels.names[own.index] == truth { llmRight += 1 }
                if let shown = prediction.shownLabel {
                    shownCount += 1
                    if shown == truth { shownRight += 1 }
                }
            }
            if let vector = learner[itemId], let top = vector.indices.max(by: { vector[$0] < vector[$1] }) {
                learnerCount += 1
                if labels.names[top] == truth { learnerRight += 1 }
            }
        }
        var autoAccepted = 0, autoWrong = 0
        for (itemId, final) in try store.finalLabels() where final.kind == .auto {
            autoAccepted += 1
            if gold[itemId] != final.label { autoWrong += 1 }
        }
        func share(_ right: Int, _ count: Int) -> Double? { count == 0 ? nil : Double(right) / Double(count) }
        return Point(humanDecisions: humanDecisions, autoAccepted: autoAccepted, autoWrong: autoWrong, open: open.count,
                     llmAccuracy: share(llmRight, llmCount), learnerAccuracy: share(learnerRight, learnerCount),
                     shownAccuracy: share(shownRight, shownCount),
                     combinerSource: combinerSource)
    }
}

/// Calls made to a replayed tier.
final class CallCounter: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    func add() { value.withLock { $0 += 1 } }
}

/// A scorer that counts the calls it passes on.
struct CountingScorer: LabelScorer {
    let inner: any LabelScorer
    let calls: CallCounter
    var signature: String { inner.signature }
    var answerFormat: PromptBuilder.AnswerFormat { inner.answerFormat }

    func score(_ prompt: Prompt, labels: LabelSet, context: ScoringContext) throws(LLMError) -> LabelScore {
        calls.add()
        return try inner.score(prompt, labels: labels, context: context)
    }
}
