import Testing
@testable import AnnottyCore

@Suite struct UncertaintyMeasureTests {
    let p = [0.5, 0.3, 0.2]

    @Test func leastConfidenceIsOneMinusTheTopProbability() {
        #expect(abs(UncertaintyMeasure.leastConfidence(p) - 0.5) < 1e-6)
    }

    @Test func marginIsTopMinusRunnerUp() {
        #expect(abs(UncertaintyMeasure.margin(p) - 0.2) < 1e-6)
        #expect(abs(UncertaintyMeasure.margin([0.2, 0.5, 0.3]) - 0.2) < 1e-6)
        #expect(UncertaintyMeasure.margin([0.4, 0.4, 0.2]) == 0)
        #expect(UncertaintyMeasure.margin([1.0]) == 1)
    }

    @Test func entropyIsInNats() {
        #expect(abs(UncertaintyMeasure.entropy(p) - 1.029653) < 1e-6)
        #expect(UncertaintyMeasure.entropy([1.0, 0, 0]) == 0)
    }

    @Test func normalizedUncertaintySpansZeroToOne() {
        let uniform = [1.0 / 3, 1.0 / 3, 1.0 / 3]
        for measure in UncertaintyMeasure.allCases {
            #expect(abs(measure.normalizedUncertainty(uniform) - 1) < 1e-9, "\(measure) of uniform")
            #expect(abs(measure.normalizedUncertainty([1.0, 0, 0])) < 1e-9, "\(measure) of certain")
        }
        #expect(abs(UncertaintyMeasure.leastConfidence.normalizedUncertainty(p) - 0.75) < 1e-9)
        #expect(abs(UncertaintyMeasure.margin.normalizedUncertainty(p) - 0.8) < 1e-9)
    }

    @Test func jensenShannonIsSymmetricAndBounded() {
        let a = [0.9, 0.1], b = [0.1, 0.9]
        let forward = ProbabilityDivergence.jensenShannon(a, b)
        #expect(abs(forward - ProbabilityDivergence.jensenShannon(b, a)) < 1e-12)
        // Reference: 0.5·KL(a‖m) + 0.5·KL(b‖m), m = [0.5, 0.5] → 0.9 ln 1.8 + 0.1 ln 0.2 = 0.368064.
        #expect(abs(forward - 0.368064) < 1e-6)
        #expect(abs(ProbabilityDivergence.jensenShannon([1.0, 0], [0, 1.0]) - 0.693147) < 1e-6)
        #expect(ProbabilityDivergence.jensenShannon(a, a) == 0)
        #expect(abs(ProbabilityDivergence.kullbackLeibler(a, [0.5, 0.5]) - 0.368064) < 1e-6)
    }
}
