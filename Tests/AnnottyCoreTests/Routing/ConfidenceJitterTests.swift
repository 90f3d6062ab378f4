@testable import AnnottyCore
import Foundation
import Testing

@Suite("How far the router's look at an item moves from pass to pass")
struct ConfidenceJitterTests {
    static func logistic(_ logOdds: Double) -> Double { 1 / (1 + exp(-logOdds)) }
    static func logOdds(_ p: Double) -> Double { log(p / (1 - p)) }

    /// 50 decisions, each scored now 0.5 higher in log-odds than shown, ±0.4 in turn: the shift is
    /// the trend and does not count; the ±0.4 is two looks' jitter, so one look's is
    /// √(0.16 × 50/49 / 2) (the sample variance of the 50 moves, halved).
    @Test("The spread of the latest decisions' moves about their mean shift, halved for the two looks")
    func measuredOnTheLatestDecisions() throws {
        let recent = (0..<50).map { index -> (shown: Double, now: Double) in
            let shown = 0.6 + Double(index % 7) / 20
            return (shown, Self.logistic(Self.logOdds(shown) + 0.5 + (index % 2 == 0 ? 0.4 : -0.4)))
        }
        let jitter = try #require(ConfidenceJitter.measure(recent))
        #expect(abs(jitter.logOddsPerLook - (0.16 * 50 / 49 / 2).squareRoot()) < 1e-9, "\(jitter)")
        #expect(jitter.decisions == 50)
        // Older decisions, however far they moved (the learner's growth since), do not count.
        let older = (0..<30).map { _ in (shown: 0.3, now: 0.99) }
        #expect(ConfidenceJitter.measure(older + recent) == jitter)
        // Nothing moved: no jitter.
        #expect(ConfidenceJitter.measure((0..<40).map { _ in (shown: 0.8, now: 0.8) })?.logOddsPerLook == 0)
    }

    @Test("Fewer than 20 decisions measure nothing")
    func tooFewDecisions() {
        #expect(ConfidenceJitter.measure((0..<19).map { (shown: 0.7, now: 0.6 + Double($0) / 100) }) == nil)
        #expect(ConfidenceJitter.measure((0..<20).map { (shown: 0.7, now: 0.6 + Double($0) / 100) }) != nil)
    }

    @Test("A look is the confidence moved in log-odds by a normal draw of the measured spread")
    func looksScatterAboutTheConfidence() {
        let jitter = ConfidenceJitter(logOddsPerLook: 0.3, decisions: 50)
        var generator = SeededGenerator(seed: 11)
        let moves = (0..<20_000).map { _ in Self.logOdds(jitter.look(at: 0.9, using: &generator)) - Self.logOdds(0.9) }
        let mean = moves.reduce(0, +) / Double(moves.count)
        let spread = (moves.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(moves.count - 1)).squareRoot()
        #expect(abs(mean) < 0.01 && abs(spread - 0.3) < 0.01, "mean \(mean), spread \(spread)")
        // No spread, no move.
        #expect(ConfidenceJitter(logOddsPerLook: 0, decisions: 50).look(at: 0.9, using: &generator) == 0.9)
    }
}
