import AnnottyCore
import Foundation
import Testing

@Suite("Auto-accept threshold from a target error rate")
struct AutoAcceptThresholdSearchTests {
    static func group(_ count: Int, at confidence: Double, wrong: Int, audits: Bool = false) -> [AutoAcceptThresholdSearch.Evidence] {
        (0..<count).map { .init(confidence: confidence, isCorrect: $0 >= wrong, isAudit: audits) }
    }

    @Test("The lowest threshold whose Wilson upper bound stays under 2%, with its reason")
    func lowestPassingThreshold() throws {
        // ≥0.99: 300, none wrong (≤1.3%); ≥0.95: 500, 1 wrong (≤1.1%); ≥0.9: 600, 11 wrong (1.8% observed, bound above 2%).
        let evidence = Self.group(100, at: 0.9, wrong: 10) + Self.group(300, at: 0.99, wrong: 0) + Self.group(200, at: 0.95, wrong: 1)
        let result = AutoAcceptThresholdSearch().search(evidence.shuffled())
        #expect(result.threshold == 0.95)
        #expect(result.outcomesAtOrAbove == 500 && result.wrongAtOrAbove == 1)
        let wilson = try BinomialInterval.wilson(successes: 1, trials: 500)
        #expect(abs(try #require(result.errorUpperBound) - wilson.upper) < 1e-12)
        #expect(result.reason == "auto-accepting at ≥0.95: 500 verified outcomes at or above it, 1 wrong, error ≤1.1% at 95% (target 2%)")
        // A looser target reaches down to 0.9; one under every bound finds nothing.
        #expect(AutoAcceptThresholdSearch(targetError: 0.05).search(evidence).threshold == 0.9)
        #expect(AutoAcceptThresholdSearch(targetError: 0.011).search(evidence).threshold == nil)
    }

    @Test("A threshold that fails can sit above one that passes: the lowest passing one wins")
    func notMonotone() {
        // The top 20 hold 1 error (bound far above 2%); with 400 correct ones below, the bound passes.
        let evidence = Self.group(20, at: 0.99, wrong: 1) + Self.group(400, at: 0.97, wrong: 0)
        let result = AutoAcceptThresholdSearch().search(evidence)
        #expect(result.threshold == 0.97 && result.outcomesAtOrAbove == 420 && result.wrongAtOrAbove == 1)
    }

    @Test("Too few outcomes: no threshold, and the reason says how many more would do")
    func coldStart() throws {
        let result = AutoAcceptThresholdSearch().search(Self.group(50, at: 0.98, wrong: 0) + Self.group(50, at: 0.6, wrong: 20))
        #expect(result.threshold == nil)
        #expect(result.outcomesAtOrAbove == 50 && result.wrongAtOrAbove == 0)
        let needed = try #require(BinomialInterval.samplesNeeded(toBoundErrorBelow: 0.02, observedRate: 0, alreadyAudited: 50))
        #expect(needed > 100)
        #expect(result.reason == "no auto-accept threshold yet: the most promising, ≥0.98, has 50 verified outcomes at or above it, "
                + "0 wrong, error ≤7.1% at 95% (target 2%); about \(needed) more outcomes like these would reach it")
        let empty = AutoAcceptThresholdSearch().search([])
        #expect(empty.threshold == nil && empty.reason == "no auto-accept threshold yet: no verified outcomes (target error 2%)")
    }

    @Test("Audits count as evidence and are named in the reason")
    func auditsCount() {
        let evidence = Self.group(150, at: 0.97, wrong: 0) + Self.group(100, at: 0.96, wrong: 0, audits: true)
        let result = AutoAcceptThresholdSearch().search(evidence)
        #expect(result.threshold == 0.96 && result.auditsAtOrAbove == 100)
        #expect(result.reason.contains("250 verified outcomes at or above it (100 of them audits), 0 wrong"))
        #expect(AutoAcceptThresholdSearch.targetErrorSettingName == "auto_accept_target_error")
        #expect(AutoAcceptThresholdSearch.defaultTargetError == 0.02)
    }
}

@Suite("Auto-accept threshold from a budget on the final labels")
struct AutoAcceptErrorBudgetTests {
    @Test("The lowest threshold whose accepted items times their error bound fit the budget")
    func lowestThresholdWithinTheBudget() throws {
        // 60 outcomes at 0.9, none wrong; 40 at 0.7, 10 wrong.
        let evidence = AutoAcceptThresholdSearchTests.group(60, at: 0.9, wrong: 0)
            + AutoAcceptThresholdSearchTests.group(40, at: 0.7, wrong: 10)
        let upperAt09 = try BinomialInterval.wilson(successes: 0, trials: 60).upper
        let upperAt07 = try BinomialInterval.wilson(successes: 10, trials: 100).upper
        // 1,000 items, a 2% budget: 20 wrong labels. 200 open items at ≥0.9 and 300 at 0.7.
        let open = Array(repeating: 0.95, count: 200) + Array(repeating: 0.7, count: 300)
        let budget = AutoAcceptThresholdSearch.ErrorBudget(share: 0.02, totalItems: 1000, alreadyAccepted: 0, openConfidences: open)
        #expect(upperAt09 * 200 <= 20 && upperAt07 * 500 > 20)
        let result = AutoAcceptThresholdSearch().search(evidence, within: budget)
        #expect(result.threshold == 0.9)
        #expect(result.outcomesAtOrAbove == 60 && result.wrongAtOrAbove == 0)
        #expect(result.reason.contains("200 items auto-accepted then"))
        #expect(result.reason.contains("within the budget of 20 wrong labels (2% of 1000 items)"))
        // Items accepted already spend the budget too: with 200 more, nothing fits.
        var spent = budget
        spent.alreadyAccepted = 200
        #expect(upperAt09 * 400 > 20)
        let none = AutoAcceptThresholdSearch().search(evidence, within: spent)
        #expect(none.threshold == nil)
        #expect(none.reason.hasPrefix("no auto-accept threshold yet"))
        // A target on the accepted set's error rate alone (2%) would accept nothing here.
        #expect(AutoAcceptThresholdSearch(targetError: 0.02).search(evidence).threshold == nil)
    }
}
