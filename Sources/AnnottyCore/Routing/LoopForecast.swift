import Foundation

/// What the loop will make of the open items if it goes on as it does. The router searches its
/// threshold again on every pass, and every decision a person makes is one more verified outcome,
/// so the threshold falls as evidence accrues; a forecast that keeps today's threshold sends far
/// too many items to people wherever the evidence is still thin (on TREC-6, halfway: 622 forecast,
/// 308 measured).
///
/// A seeded Monte Carlo of the router's own rule. Each run resamples the verified outcomes
/// (a bootstrap: what they say about accuracy at each confidence is itself uncertain) and maps
/// confidence to the chance of being right on the resample (isotonic, kept from 0 and 1; outside
/// the confidences the resample covers, the calibrated confidence itself). The run's router
/// searches its threshold on the same resample: where the threshold falls, and when, depends on
/// outcomes not given yet, of which the resample is one draw. (Searched on the outcomes as they
/// are, every run found the same threshold and the intervals were as narrow as the accuracy
/// map's uncertainty alone: on the sample reviews the people measured after the halfway forecast
/// fell under the interval on five paths of five, e.g. 18 against 25–55.) Then it
/// works through the open items pass by pass as the router orders them: the items at or above the
/// threshold are auto-accepted; a person decides the next `decisionsPerPass` items (unsure ones
/// first; with no threshold, confident and unsure ones in turn, as `RoutingPass` queues them),
/// each decision a new outcome, right with the mapped chance; and the threshold is searched again
/// on the resample plus the simulated outcomes. The intervals are the middle 95% of the runs.
/// A threshold is used on the pass that finds it: the loop waits for a second pass to confirm one
/// found on the learner's moving evidence (`ThresholdConfirmation`), but the simulated evidence
/// does not move, so the next pass, with more outcomes, would find it or a lower one.
///
/// The task learner going on improving is forecast from its own past (`ConfidenceGrowth`): the
/// open items' confidences rise as simulated decisions add labels, by what half the labels so far
/// were worth. Each pass looks at every open item afresh (`ConfidenceJitter`): the router sees its
/// confidence moved by the jitter measured on people's latest decisions, and whether its label is
/// right goes by the confidence itself. An item that reaches the threshold on a lucky look is
/// auto-accepted there, as in the loop; without the looks the forecast was optimistic about
/// accuracy on five TREC-6 paths of five, and outside its interval on two (docs/model-in-the-loop.md).
/// What it cannot see: a calibration or combiner refitted later to trust the learner more (or
/// less) than today's does.
public struct LoopForecast: Sendable, Equatable {
    public struct Setting: Sendable, Equatable {
        public var search: AutoAcceptThresholdSearch
        /// `[routing] auto_accept_error_budget`: the router's rule when set, instead of the target.
        public var errorBudget: BudgetForecast.ErrorBudgetSetting?
        /// `[routing] review`: below it an item goes to a person first.
        public var review: Double
        /// Decisions between two routing passes (`[queue] rerank_every`); raised where needed so
        /// that a run makes at most `maximumPasses` passes.
        public var decisionsPerPass: Int
        /// How often a person's label is right.
        public var humanAccuracy: Double
        /// Runs to make; fewer on very large projects (`runs(for:)`).
        public var runs: Int
        public var seed: UInt64
        /// How the open items' confidences rise with people's labels (the task learner
        /// improving), in the order of the open confidences; nil: they stay as they are.
        public var growth: ConfidenceGrowth?
        /// How far an item's confidence moves from one pass's look to the next; nil: it does not.
        public var jitter: ConfidenceJitter?

        public init(search: AutoAcceptThresholdSearch = AutoAcceptThresholdSearch(),
                    errorBudget: BudgetForecast.ErrorBudgetSetting? = nil, review: Double = 0.7,
                    decisionsPerPass: Int = 5, humanAccuracy: Double = 1, runs: Int = 200, seed: UInt64 = 1,
                    growth: ConfidenceGrowth? = nil, jitter: ConfidenceJitter? = nil) {
            self.growth = growth
            self.jitter = jitter
            self.search = search
            self.errorBudget = errorBudget
            self.review = review
            self.decisionsPerPass = decisionsPerPass
            self.humanAccuracy = humanAccuracy
            self.runs = runs
            self.seed = seed
        }
    }

    public let runs: Int
    /// Median over the runs, and the auto-accepts of that median run.
    public let toPeople: Int
    public let toPeopleInterval: ClosedRange<Int>
    public let autoAccepted: Int
    public let autoAcceptedInterval: ClosedRange<Int>
    /// Mean share of the open items whose final label is right.
    public let expectedAccuracy: Double
    public let accuracyInterval: ClosedRange<Double>

    /// Passes a run makes at most: with many open items, more decisions per pass.
    static let maximumPasses = 60
    /// Confidences are compared at this resolution, so the evidence tallies stay small.
    static let resolution = 1e-4
    /// Work (runs × items) above which fewer runs are made, never fewer than 20.
    static let workLimit = 400_000

    /// - Parameters:
    ///   - outcomes: the verified outcomes and audits, each at the calibrated confidence it is routed with now.
    ///   - openConfidences: each open item's calibrated confidence (0 for one with an unusable pre-label).
    public static func simulate(outcomes: [AutoAcceptThresholdSearch.Evidence], openConfidences: [Double],
                                setting: Setting) -> LoopForecast {
        let open = openConfidences.map(rounded)
        let evidence = outcomes.map { AutoAcceptThresholdSearch.Evidence(confidence: rounded($0.confidence),
                                                                          isCorrect: $0.isCorrect, isAudit: $0.isAudit) }
        let perPass = max(1, setting.decisionsPerPass, (open.count + maximumPasses - 1) / maximumPasses)
        let runCount = runs(for: setting.runs, items: open.count + outcomes.count)
        let rises = setting.growth?.risesPerStep(for: open)
        var generator = SeededGenerator(seed: setting.seed)
        var results: [Run] = []
        results.reserveCapacity(runCount)
        for _ in 0..<runCount {
            results.append(run(evidence: evidence, open: open, rises: rises, setting: setting,
                               perPass: perPass, generator: &generator))
        }
        // The median run by people's decisions gives both medians, so that they add up to the open items.
        let middleRun = results.sorted { $0.toPeople < $1.toPeople }[results.count / 2]
        let people = results.map(\.toPeople).sorted()
        let accepted = results.map(\.autoAccepted).sorted()
        let accuracies = results.map { open.isEmpty ? 1 : Double($0.right) / Double(open.count) }.sorted()
        return LoopForecast(runs: runCount, toPeople: middleRun.toPeople, toPeopleInterval: middle95(people),
                            autoAccepted: middleRun.autoAccepted, autoAcceptedInterval: middle95(accepted),
                            expectedAccuracy: accuracies.reduce(0, +) / Double(max(1, accuracies.count)),
                            accuracyInterval: middle95(accuracies))
    }

    /// Fewer runs where each is long, so that `annotty plan` answers in seconds on a large project.
    static func runs(for requested: Int, items: Int) -> Int {
        max(1, min(requested, max(20, workLimit / max(1, items))))
    }

    private struct Run {
        var toPeople = 0
        var autoAccepted = 0
        var right = 0
    }

    private static func run(evidence: [AutoAcceptThresholdSearch.Evidence],
                            open: [Double], rises: [Double]?, setting: Setting, perPass: Int,
                            generator: inout SeededGenerator) -> Run {
        // What the outcomes say about being right at each confidence, resampled.
        let resample = evidence.isEmpty ? [] : (0..<evidence.count).map { _ in evidence[generator.nextIndex(below: evidence.count)] }
        let map = resample.isEmpty ? nil : try? IsotonicCalibration.fitBoundedAwayFromCertainty(
            confidences: resample.map(\.confidence), correct: resample.map(\.isCorrect))
        // Outside the confidences the outcomes cover the map only extends its end values; the
        // calibrated confidence itself is the better guess there.
        let covered = resample.isEmpty ? nil : resample.map(\.confidence).min()!...resample.map(\.confidence).max()!
        func chanceRight(_ confidence: Double) -> Double {
            guard let map, let covered, covered.contains(confidence) else { return confidence }
            return map.calibratedConfidence(confidence)
        }

        var tallies = AutoAcceptThresholdSearch.tallies(resample)
        // Open items by index, so that each one's confidence can grow with people's labels.
        var remaining = generator.shuffled(Array(open.indices))
        var accepted = setting.errorBudget?.alreadyAccepted ?? 0
        var result = Run()
        var confidence = open
        while !remaining.isEmpty {
            if let growth = setting.growth, let rises {
                let steps = growth.steps(atLabels: growth.labelsNow + result.toPeople)
                for index in remaining {
                    confidence[index] = rounded(ConfidenceGrowth.grown(open[index], risePerStep: rises[index], steps: steps))
                }
            }
            // This pass's look at each open item: its confidence moved by one look's jitter. The
            // router sees the look; whether the label is right goes by the confidence itself.
            var look = confidence
            if let jitter = setting.jitter {
                for index in remaining { look[index] = rounded(jitter.look(at: confidence[index], using: &generator)) }
            }
            let threshold = search(tallies: tallies, open: remaining.map { look[$0] }, alreadyAccepted: accepted,
                                   setting: setting).threshold
            if let threshold {
                var kept: [Int] = []
                kept.reserveCapacity(remaining.count)
                for index in remaining {
                    guard look[index] >= threshold else {
                        kept.append(index)
                        continue
                    }
                    result.autoAccepted += 1
                    accepted += 1
                    if generator.nextUnitDouble() < chanceRight(confidence[index]) { result.right += 1 }
                }
                remaining = kept
                if remaining.isEmpty { break }
            }
            let review = min(setting.review, threshold ?? .infinity)
            let unsure = remaining.filter { look[$0] < review }
            let confident = remaining.filter { look[$0] >= review }
            let order = threshold == nil ? RoutingPass.interleaved(confident, unsure) : unsure + confident
            for index in order.prefix(perPass) {
                result.toPeople += 1
                if generator.nextUnitDouble() < setting.humanAccuracy { result.right += 1 }
                let outcome = AutoAcceptThresholdSearch.Evidence(
                    confidence: look[index], isCorrect: generator.nextUnitDouble() < chanceRight(confidence[index]))
                add(outcome, to: &tallies)
            }
            remaining = Array(order.dropFirst(perPass))
        }
        return result
    }

    private static func search(tallies: [AutoAcceptThresholdSearch.Tally], open: [Double], alreadyAccepted: Int,
                               setting: Setting) -> AutoAcceptThresholdSearch.Result {
        guard let budget = setting.errorBudget else { return setting.search.search(tallies: tallies) }
        return setting.search.search(tallies: tallies, within: .init(share: budget.share, totalItems: budget.totalItems,
                                                                   alreadyAccepted: alreadyAccepted, openConfidences: open))
    }

    /// Into the tallies, kept highest confidence first.
    private static func add(_ evidence: AutoAcceptThresholdSearch.Evidence, to tallies: inout [AutoAcceptThresholdSearch.Tally]) {
        var low = 0, high = tallies.count
        while low < high {
            let middle = (low + high) / 2
            if tallies[middle].confidence > evidence.confidence { low = middle + 1 } else { high = middle }
        }
        if low < tallies.count, tallies[low].confidence == evidence.confidence {
            tallies[low].add(evidence)
        } else {
            var tally = AutoAcceptThresholdSearch.Tally(confidence: evidence.confidence)
            tally.add(evidence)
            tallies.insert(tally, at: low)
        }
    }

    private static func rounded(_ confidence: Double) -> Double {
        confidence.isFinite ? (confidence / resolution).rounded() * resolution : confidence
    }

    private static func middle95<T: Comparable>(_ sorted: [T]) -> ClosedRange<T> {
        let last = sorted.count - 1
        let low = Int((0.025 * Double(last)).rounded(.down))
        let high = Int((0.975 * Double(last)).rounded(.up))
        return sorted[low]...sorted[high]
    }

    public init(runs: Int, toPeople: Int, toPeopleInterval: ClosedRange<Int>, autoAccepted: Int,
                autoAcceptedInterval: ClosedRange<Int>, expectedAccuracy: Double, accuracyInterval: ClosedRange<Double>) {
        self.runs = runs
        self.toPeople = toPeople
        self.toPeopleInterval = toPeopleInterval
        self.autoAccepted = autoAccepted
        self.autoAcceptedInterval = autoAcceptedInterval
        self.expectedAccuracy = expectedAccuracy
        self.accuracyInterval = accuracyInterval
    }
}
