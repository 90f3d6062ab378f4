import AnnottyCore
import Foundation
import Testing

/// The audit of auto-accepted sets: whole sets and each label, on a case counted by hand.
@Suite struct MultiLabelAuditEstimateTests {
    static let labels = LabelSet(names: ["a", "b", "c"])

    static func item(_ id: Int64, _ accepted: [String], _ audited: [String]?) -> AuditPlan.AutoAccepted {
        AuditPlan.AutoAccepted(itemId: id, decisionId: id, label: MultiLabelAnswer(accepted, labels: labels).encoded,
                               confidence: 0.97, auditedLabel: audited.map { MultiLabelAnswer($0, labels: labels).encoded })
    }

    /// The 95% Wilson interval written out: (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n).
    static func wilson(_ errors: Int, _ n: Int) -> (lower: Double, upper: Double) {
        let z = 1.959963984540054
        let p = Double(errors) / Double(n)
        let nn = Double(n)
        let centre = p + z * z / (2 * nn)
        let half = z * sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn))
        let scale = 1 + z * z / nn
        return ((centre - half) / scale, (centre + half) / scale)
    }

    @Test func wholeSetsAndEachLabelHaveTheirOwnErrorRateAndInterval() throws {
        let plan = AuditPlan(items: [
            Self.item(1, ["a"], ["a"]),            // right
            Self.item(2, ["a", "b"], ["a"]),       // b wrongly in
            Self.item(3, [], ["c"]),               // c wrongly out
            Self.item(4, ["b"], ["b"]),            // right
            Self.item(5, ["a", "c"], ["b", "c"]),  // a wrongly in, b wrongly out
            Self.item(6, ["c"], nil),              // not audited: counts nowhere
        ])
        let estimate = try #require(try MultiLabelAuditEstimate(plan: plan, labels: Self.labels, targetErrorRate: 0.05))
        #expect(estimate.sets.audited == 5)
        #expect(estimate.sets.errors == 3)
        #expect(estimate.sets.errorRate == 0.6)
        let sets = Self.wilson(3, 5)
        #expect(abs(estimate.sets.lower - sets.lower) < 1e-9)
        #expect(abs(estimate.sets.upper - sets.upper) < 1e-9)
        // By hand: 0.2307 to 0.8824.
        #expect(abs(estimate.sets.lower - 0.2307) < 1e-3 && abs(estimate.sets.upper - 0.8824) < 1e-3)

        #expect(estimate.perLabel.map(\.label) == ["a", "b", "c"])
        #expect(estimate.perLabel.map(\.estimate.audited) == [5, 5, 5])
        #expect(estimate.perLabel.map(\.estimate.errors) == [1, 2, 1])
        #expect(estimate.perLabel.map(\.wronglyIn) == [1, 1, 0])
        #expect(estimate.perLabel.map(\.wronglyOut) == [0, 1, 1])
        for label in estimate.perLabel {
            let interval = Self.wilson(label.estimate.errors, 5)
            #expect(abs(label.estimate.lower - interval.lower) < 1e-9)
            #expect(abs(label.estimate.upper - interval.upper) < 1e-9)
            #expect(label.estimate.target == 0.05)
        }
    }

    @Test func noAuditsNoEstimate() throws {
        let plan = AuditPlan(items: [Self.item(1, ["a"], nil)])
        #expect(try MultiLabelAuditEstimate(plan: plan, labels: Self.labels, targetErrorRate: 0.05) == nil)
    }
}
