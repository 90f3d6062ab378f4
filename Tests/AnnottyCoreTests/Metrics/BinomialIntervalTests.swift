import AnnottyCore
import Foundation
import Testing

@Suite("Binomial intervals")
struct BinomialIntervalTests {
    @Test("Normal quantile and incomplete beta against known values")
    func specialFunctions() {
        #expect(abs(SpecialFunctions.normalQuantile(0.975) - 1.959963984540054) < 1e-12)
        #expect(abs(SpecialFunctions.normalQuantile(0.01) + 2.326347874040841) < 1e-12)
        // I_x(1, 1) = x; I_x(2, 1) = x²; I_0.5(a, a) = 0.5.
        #expect(abs(SpecialFunctions.regularizedIncompleteBeta(0.3, a: 1, b: 1) - 0.3) < 1e-14)
        #expect(abs(SpecialFunctions.regularizedIncompleteBeta(0.3, a: 2, b: 1) - 0.09) < 1e-14)
        #expect(abs(SpecialFunctions.regularizedIncompleteBeta(0.5, a: 7.5, b: 7.5) - 0.5) < 1e-14)
        // I_x(a, 1) = x^a inverts to p^(1/a).
        #expect(abs(SpecialFunctions.inverseRegularizedIncompleteBeta(0.2, a: 3, b: 1) - pow(0.2, 1.0 / 3)) < 1e-12)
    }

    @Test("Wilson interval for 5 of 20 matches the closed form")
    func wilson() throws {
        let interval = try BinomialInterval.wilson(successes: 5, trials: 20)
        #expect(abs(interval.lower - 0.1118617) < 1e-7)
        #expect(abs(interval.upper - 0.4687009) < 1e-7)
        let none = try BinomialInterval.wilson(successes: 0, trials: 10)
        #expect(none.lower == 0 && abs(none.upper - 0.2775328) < 1e-6)
    }

    @Test("Clopper-Pearson matches R binom.test and the closed forms at 0 and n")
    func clopperPearson() throws {
        let interval = try BinomialInterval.clopperPearson(successes: 5, trials: 20)
        #expect(abs(interval.lower - 0.08657147) < 1e-7)
        #expect(abs(interval.upper - 0.49104587) < 1e-7)
        let none = try BinomialInterval.clopperPearson(successes: 0, trials: 10)
        #expect(none.lower == 0 && abs(none.upper - (1 - pow(0.025, 0.1))) < 1e-12)
        let all = try BinomialInterval.clopperPearson(successes: 10, trials: 10)
        #expect(all.upper == 1 && abs(all.lower - pow(0.025, 0.1)) < 1e-12)
        #expect(throws: MetricsError.self) { try BinomialInterval.clopperPearson(successes: 3, trials: 2) }
    }

    @Test("samplesNeeded finds the first total whose upper bound drops below the target")
    func samplesNeeded() throws {
        let more = try #require(BinomialInterval.samplesNeeded(toBoundErrorBelow: 0.05, observedRate: 0.02, alreadyAudited: 50))
        let total = 50 + more
        #expect(total > 150 && total < 300)
        // Rounding the projected error count down can only lower the bound, so it must be below target.
        let errorsAtTotal = Int((0.02 * Double(total)).rounded(.down))
        #expect(try BinomialInterval.wilson(successes: errorsAtTotal, trials: total).upper < 0.05)
        #expect(BinomialInterval.samplesNeeded(toBoundErrorBelow: 0.05, observedRate: 0.02, alreadyAudited: total) == 0)
        #expect(BinomialInterval.samplesNeeded(toBoundErrorBelow: 0.05, observedRate: 0.06) == nil)
        let exact = try #require(BinomialInterval.samplesNeeded(toBoundErrorBelow: 0.05, observedRate: 0.02, method: .clopperPearson))
        #expect(exact > total)
        // With no errors the exact bound is 1 − 0.025^(1/n): below 0.05 first at n = 72.
        #expect(BinomialInterval.samplesNeeded(toBoundErrorBelow: 0.05, observedRate: 0, method: .clopperPearson) == 72)
        // Wilson's is z²/(n + z²): below 0.05 once n > 19z² = 72.99, so at n = 73; 30 done leaves 43.
        #expect(BinomialInterval.samplesNeeded(toBoundErrorBelow: 0.05, observedRate: 0) == 73)
        #expect(BinomialInterval.samplesNeeded(toBoundErrorBelow: 0.05, observedRate: 0, alreadyAudited: 30) == 43)
    }

    @Test("95% intervals cover the true error rate in at least 94% of 1,000 simulated audits",
          arguments: BinomialInterval.Method.allCases)
    func coverage(method: BinomialInterval.Method) throws {
        var generator = SeededGenerator(seed: 2024)
        let rates = [0.02, 0.05, 0.1]
        let sizes = [50, 100, 150, 200]
        var covered = 0
        for audit in 0..<1000 {
            let rate = rates[audit % rates.count]
            let size = sizes[(audit / rates.count) % sizes.count]
            var errors = 0
            for _ in 0..<size where generator.nextUnitDouble() < rate { errors += 1 }
            let interval = try BinomialInterval(successes: errors, trials: size, method: method)
            if interval.lower <= rate && rate <= interval.upper { covered += 1 }
        }
        #expect(covered >= 940)
    }
}
