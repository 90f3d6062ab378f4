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
