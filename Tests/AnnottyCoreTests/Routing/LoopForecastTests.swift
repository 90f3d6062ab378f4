@testable import AnnottyCore
import Foundation
import Testing

@Suite("Forecasting the loop as its threshold falls with the evidence")
struct LoopForecastTests {
    typealias Evidence = AutoAcceptThresholdSearch.Evidence

    @Test("Thin evidence today: people's decisions on confident items lower the threshold, and the rest is auto-accepted")
    func thresholdArrivesAsOutcomesAccrue() {
        // 100 outcomes at 0.99, none wrong: the Wilson bound (3.7%) is over a 2% target, so today
        // nothing is auto-accepted. About 90 more right outcomes at 0.99 bring it under 2%; with no
        // threshold the router shows confident and unsure items in turn, so people decide about as
        // many unsure ones meanwhile, and then every 0.99 item left is auto-accepted.
        let outcomes = Array(repeating: Evidence(confidence: 0.99, isCorrect: true), count: 100)
        let open = Array(repeating: 0.99, count: 500) + Array(repeating: 0.5, count: 500)
        let today = BudgetForecast.plan(outcomes: outcomes, openConfidences: open,
                                        prices: .init(humanPerItem: 0.1, modelPerItem: 0))
        #expect(today.threshold == nil && today.toPeople == 1000)

        let loop = LoopForecast.simulate(outcomes: outcomes, openConfidences: open, setting: .init(runs: 100))
        // The 500 unsure items always go to people, and of the confident ones the ~90 that bound
        // the error where every simulated outcome is right (the lower end of the interval). The
        // outcomes say 0.99 items are right 101 times in 102 (kept from certainty), so in most runs
        // one comes out wrong, and the bound then needs about 280 outcomes: more of them to people.
        #expect(loop.toPeopleInterval.lowerBound >= 500 + 85 && loop.toPeopleInterval.lowerBound <= 500 + 100, "\(loop)")
        #expect(loop.toPeopleInterval.upperBound <= 1000 && loop.toPeopleInterval.contains(loop.toPeople))
        #expect(loop.toPeople + loop.autoAccepted == 1000)
        #expect(loop.autoAcceptedInterval.contains(loop.autoAccepted) && loop.autoAcceptedInterval.upperBound <= 415)
        // People are right; the auto-accepted 0.99 items nearly always.
        #expect(loop.expectedAccuracy > 0.97 && loop.accuracyInterval.contains(loop.expectedAccuracy))
        #expect(loop.runs == 100)
    }

    /// 200 outcomes at 0.97, all right, hold a threshold of 0.97 under a 2% target; the 1,000 open
    /// items are at 0.9, where 100 outcomes were right 90 times, so no threshold reaches them. Measured from 50 to 100 labels, their log-odds rose by
    /// logit(0.99) − logit(0.9) ≈ 2.4: at 100 + k labels they are at logistic(logit(0.9) + 2.4 ×
    /// log2(1 + k/100)), over 0.97 from k ≈ 45. People decide 17 a pass (1,000 items over at
    /// most 60 passes), so in the fourth pass (51 decided) every one left is auto-accepted, unless
    /// the decisions on the way (at about 0.94 and 0.96) happen to bound the error under 2% there
    /// first, which lowers the threshold to them a pass or two earlier.
    @Test("A learner that goes on improving lifts the open items over the threshold; without it they all go to people")
    func confidencesRiseWithTheLabels() {
        let outcomes = Array(repeating: Evidence(confidence: 0.97, isCorrect: true), count: 200)
            + (0..<100).map { Evidence(confidence: 0.9, isCorrect: $0 % 10 != 0) }
        let open = Array(repeating: 0.9, count: 1000)
        let rise = log(0.99 / 0.01) - log(0.9 / 0.1)
        let growth = ConfidenceGrowth(labelsNow: 100, labelsBefore: 50, logOddsRiseByRank: [rise])
        let search = AutoAcceptThresholdSearch(targetError: 0.02)
        let rising = LoopForecast.simulate(outcomes: outcomes, openConfidences: open,
                                           setting: .init(search: search, runs: 50, growth: growth))
        #expect(rising.toPeopleInterval.lowerBound >= 17 && rising.toPeopleInterval.upperBound <= 51, "\(rising)")
        #expect(rising.toPeople + rising.autoAccepted == 1000)
        let still = LoopForecast.simulate(outcomes: outcomes, openConfidences: open, setting: .init(search: search, runs: 50))
        #expect(still.toPeopleInterval.lowerBound == 1000, "\(still)")
    }

    /// 300 outcomes at 0.98 with 3 wrong: the error bound (about 2.9%) is over a 2% target today.
    /// Outcomes people have not given yet could as well have come out with one wrong or none,
    /// where the bound is under it; each run searches its threshold on its resample of the
    /// outcomes, so some runs accept the open items at once and others first send people enough
    /// of them to bound the error. Searched on the outcomes as they are, every run sent people
    /// the same first items, and the interval's lower end was never 0.
    @Test("Where the threshold falls depends on outcomes not given yet: each run searches on its resample")
    func thresholdSearchedOnEachRunsResample() {
        let outcomes = (0..<300).map { Evidence(confidence: 0.98, isCorrect: $0 % 100 != 0) }
        let open = Array(repeating: 0.98, count: 300)
        let search = AutoAcceptThresholdSearch(targetError: 0.02)
        #expect(search.search(outcomes).threshold == nil)
        let loop = LoopForecast.simulate(outcomes: outcomes, openConfidences: open, setting: .init(search: search, runs: 200))
        #expect(loop.toPeopleInterval.lowerBound == 0, "\(loop)")
        #expect(loop.toPeopleInterval.upperBound >= 50, "\(loop)")
        #expect(loop.toPeople + loop.autoAccepted == 300)
    }

    @Test("A threshold that holds already: the items over it are accepted and people get exactly the rest")
    func thresholdAlreadyHolds() {
        let outcomes = Array(repeating: Evidence(confidence: 0.97, isCorrect: true), count: 1000)
            + (0..<400).map { Evidence(confidence: 0.6, isCorrect: $0 % 2 == 0) }
        let open = Array(repeating: 0.97, count: 300) + Array(repeating: 0.6, count: 200)
        let loop = LoopForecast.simulate(outcomes: outcomes, openConfidences: open, setting: .init(runs: 50))
        #expect(loop.toPeople == 200 && loop.toPeopleInterval == 200...200)
        #expect(loop.autoAccepted == 300 && loop.autoAcceptedInterval == 300...300)
        // 200 right from people, 300 auto-accepted items right all but rarely (1,000 of 1,000 seen).
        #expect(loop.expectedAccuracy > 0.99 && loop.accuracyInterval.lowerBound > 0.98, "\(loop)")
    }

    @Test("Nothing confident: everything goes to people whatever they add, at people's accuracy")
    func nothingConfident() {
        let outcomes = (0..<300).map { Evidence(confidence: 0.5, isCorrect: $0 % 2 == 0) }
        let open = Array(repeating: 0.5, count: 120)
        let loop = LoopForecast.simulate(outcomes: outcomes, openConfidences: open,
                                         setting: .init(humanAccuracy: 0.9, runs: 200))
        #expect(loop.toPeople == 120 && loop.toPeopleInterval == 120...120 && loop.autoAccepted == 0)
        // Each run's accuracy is a binomial share of 120 at 0.9: its mean near 0.9, its middle 95% around it.
        #expect(abs(loop.expectedAccuracy - 0.9) < 0.01, "\(loop)")
        #expect(loop.accuracyInterval.lowerBound < 0.87 && loop.accuracyInterval.upperBound > 0.93)
    }

    @Test("An error budget already spent frees up as outcomes tighten the bound on the items accepted before")
    func errorBudgetFreesUp() {
        // 400 items of 1,000 accepted already at 0.95; 80 outcomes there, none wrong: 400 × 4.6% = 18
        // expected wrong labels, over a 1% budget (10): nothing more now. More outcomes at 0.95
        // bring the bound down until the rest of the 0.95 items fit.
        let outcomes = Array(repeating: Evidence(confidence: 0.95, isCorrect: true), count: 80)
        let open = Array(repeating: 0.95, count: 300) + Array(repeating: 0.4, count: 300)
        let budget = BudgetForecast.ErrorBudgetSetting(share: 0.01, totalItems: 1000, alreadyAccepted: 400)
        let today = BudgetForecast.plan(outcomes: outcomes, openConfidences: open,
                                        prices: .init(humanPerItem: 0.1, modelPerItem: 0), errorBudget: budget)
        #expect(today.autoAccepted == 0)
        let loop = LoopForecast.simulate(outcomes: outcomes, openConfidences: open,
                                         setting: .init(errorBudget: budget, runs: 100))
        #expect(loop.autoAccepted > 0 && loop.toPeople < 600 && loop.toPeople >= 300, "\(loop)")
        #expect(loop.toPeople + loop.autoAccepted == 600)
        // At least the ~134 confident decisions that bring 700 × bound under 10, beside the 300 unsure.
        #expect(loop.toPeopleInterval.lowerBound >= 300 + 130, "\(loop)")
    }

    /// 2,000 outcomes at 0.99, all right, hold a threshold of 0.99; the 300 open items are at 0.9,
    /// where 500 outcomes were right 8 times in 10 (so that no resample holds a threshold of 0.9:
    /// 100 wrong in 2,500 is 4%). Looked at once, none reaches 0.99: people get
    /// all 300 and every label is right. Looked at again each pass with a jitter of 1.0 in
    /// log-odds, an item reaches 0.99 (2.4 standard deviations up) about once in 120 looks, and
    /// over the passes many do: they are auto-accepted, and right 8 times in 10 (the chance at
    /// their own confidence), not 99 in 100 (the look they were accepted at).
    @Test("Items looked at again each pass reach the threshold by chance, and are right only as often as their own confidence")
    func jitteredLooksReachTheThreshold() {
        let outcomes = Array(repeating: Evidence(confidence: 0.99, isCorrect: true), count: 2000)
            + (0..<500).map { Evidence(confidence: 0.9, isCorrect: $0 % 5 != 0) }
        let open = Array(repeating: 0.9, count: 300)
        let search = AutoAcceptThresholdSearch(targetError: 0.02)
        let steady = LoopForecast.simulate(outcomes: outcomes, openConfidences: open, setting: .init(search: search, runs: 50))
        #expect(steady.autoAcceptedInterval == 0...0 && steady.expectedAccuracy == 1, "\(steady)")
        let jitter = ConfidenceJitter(logOddsPerLook: 1.0, decisions: 50)
        let looked = LoopForecast.simulate(outcomes: outcomes, openConfidences: open,
                                           setting: .init(search: search, runs: 50, jitter: jitter))
        #expect(looked.autoAccepted >= 20 && looked.toPeople + looked.autoAccepted == 300, "\(looked)")
        // The accepted items' share wrong: about 0.2 of them, far above the 0.01 of the look.
        let wrongShare = (1 - looked.expectedAccuracy) * 300 / Double(looked.autoAccepted)
        #expect(wrongShare > 0.12 && wrongShare < 0.28, "\(looked), \(wrongShare)")
    }

    @Test("The same seed gives the same forecast; very large projects get fewer runs, never under 20")
    func seededAndBounded() {
        let outcomes = (0..<200).map { Evidence(confidence: $0 % 3 == 0 ? 0.6 : 0.98, isCorrect: $0 % 17 != 0) }
        let open = (0..<400).map { 0.5 + Double($0 % 50) / 100 }
        let first = LoopForecast.simulate(outcomes: outcomes, openConfidences: open, setting: .init(runs: 40, seed: 7))
        let again = LoopForecast.simulate(outcomes: outcomes, openConfidences: open, setting: .init(runs: 40, seed: 7))
        #expect(first == again)
        #expect(LoopForecast.runs(for: 200, items: 1_000) == 200)
        #expect(LoopForecast.runs(for: 200, items: 100_000) == 20)
        #expect(LoopForecast.runs(for: 200, items: 10_000) == 40)
    }
}
