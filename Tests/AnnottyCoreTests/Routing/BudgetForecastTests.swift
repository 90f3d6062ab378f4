import AnnottyCore
import Foundation
import Testing

@Suite("Forecasting people, auto-accepts, cost and accuracy for a budget")
struct BudgetForecastTests {
    /// Seed 004's exercise: 100,000 items, $0.10 a person's label, $0.005 a pre-label. Verified
    /// outcomes: 1,000 at confidence 0.97 with 10 wrong, 500 at 0.6 with 200 wrong; the open items
    /// are 60% at 0.97 and 40% at 0.6.
    static let outcomes = (0..<1000).map { AutoAcceptThresholdSearch.Evidence(confidence: 0.97, isCorrect: $0 >= 10) }
        + (0..<500).map { AutoAcceptThresholdSearch.Evidence(confidence: 0.6, isCorrect: $0 >= 200) }
    static let open = Array(repeating: 0.97, count: 60_000) + Array(repeating: 0.6, count: 40_000)
    static let prices = BudgetForecast.Prices(humanPerItem: 0.10, modelPerItem: 0.005)

    @Test("$5,000 covers the target's threshold: 60,000 auto-accepted, 40,000 to people, $4,500")
    func withinBudget() throws {
        let forecast = BudgetForecast.plan(outcomes: Self.outcomes, openConfidences: Self.open, prices: Self.prices, budget: 5000)
        #expect(forecast.threshold == 0.97 && forecast.meetsTargetError)
        #expect(forecast.autoAccepted == 60_000 && forecast.toPeople == 40_000)
        #expect(abs(forecast.modelCost - 500) < 1e-9 && abs(forecast.humanCost - 4000) < 1e-9)
        // People right always; auto-accepted right at the outcomes' 990/1000.
        #expect(abs(forecast.expectedAccuracy - (40_000 + 60_000 * 0.99) / 100_000) < 1e-9)
        let wilson = try BinomialInterval.wilson(successes: 10, trials: 1000)
        #expect(abs(forecast.accuracyInterval.lowerBound - (40_000 + 60_000 * (1 - wilson.upper)) / 100_000) < 1e-9)
        #expect(abs(forecast.accuracyInterval.upperBound - (40_000 + 60_000 * (1 - wilson.lower)) / 100_000) < 1e-9)
        #expect(forecast.reason.hasPrefix("auto-accepting at ≥0.97: 1000 verified outcomes"))
    }

    @Test("$3,000 cannot pay for the target: the threshold drops until the people fit, and it says so")
    func overBudget() {
        let forecast = BudgetForecast.plan(outcomes: Self.outcomes, openConfidences: Self.open, prices: Self.prices, budget: 3000)
        // (3,000 − 500) / 0.10 = 25,000 people; the other 75,000 auto-accepted, reaching into the 0.6 items.
        #expect(forecast.toPeople == 25_000 && forecast.autoAccepted == 75_000)
        #expect(forecast.threshold == 0.6 && !forecast.meetsTargetError)
        #expect(abs(forecast.totalCost - 3000) < 1e-9)
        #expect(abs(forecast.expectedAccuracy - (25_000 + 60_000 * 0.99 + 15_000 * 0.6) / 100_000) < 1e-9)
        #expect(forecast.reason.hasPrefix("the budget pays for 25000 people's labels after $500.00 of pre-labels; auto-accepting at ≥0.6"))
        #expect(forecast.accuracyInterval.contains(forecast.expectedAccuracy))
    }

    @Test("Without enough outcomes nothing is auto-accepted and people label everything")
    func coldStart() {
        let forecast = BudgetForecast.plan(outcomes: Array(Self.outcomes.prefix(40)), openConfidences: [0.99, 0.98, 0.5],
                                           prices: Self.prices)
        #expect(forecast.threshold == nil && forecast.autoAccepted == 0 && forecast.toPeople == 3)
        #expect(forecast.expectedAccuracy == 1 && forecast.accuracyInterval == 1...1)
        #expect(abs(forecast.totalCost - (0.015 + 0.3)) < 1e-9)
    }
}
