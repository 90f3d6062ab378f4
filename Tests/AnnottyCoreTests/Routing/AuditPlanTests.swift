import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

@Suite struct AuditPlanTests {
    func item(_ id: Int64, confidence: Double, audited: String? = nil, label: String = "a") -> AuditPlan.AutoAccepted {
        AuditPlan.AutoAccepted(itemId: id, decisionId: id * 10, label: label, confidence: confidence, auditedLabel: audited)
    }

    @Test func uniformSamplingSkipsAuditedItemsAndIsSeeded() {
        let plan = AuditPlan(items: (1...50).map { item($0, confidence: 0.96, audited: $0 <= 10 ? "a" : nil) })
        let sample = plan.sample(count: 15, sampling: .uniform, seed: 4)
        #expect(sample.count == 15 && Set(sample.map(\.itemId)).count == 15)
        #expect(sample.allSatisfy { $0.itemId > 10 })
        #expect(sample.map(\.itemId) == plan.sample(count: 15, sampling: .uniform, seed: 4).map(\.itemId))
        #expect(sample.map(\.itemId) != plan.sample(count: 15, sampling: .uniform, seed: 5).map(\.itemId))
    }

    @Test func stratifiedSamplingTakesFromEveryBand() {
        // 40 items in the top band, 5 in the middle, 2 in the lowest.
        let items = (1...40).map { item($0, confidence: 0.995) } + (41...45).map { item($0, confidence: 0.98) }
            + (46...47).map { item($0, confidence: 0.96) }
        let sample = AuditPlan(items: items).sample(count: 9, sampling: .stratified, seed: 1)
        #expect(sample.filter { $0.confidence < 0.97 }.count == 2)
        #expect(sample.filter { $0.confidence >= 0.97 && $0.confidence < 0.99 }.count == 4 || sample.filter { $0.confidence >= 0.97 && $0.confidence < 0.99 }.count == 3)
        #expect(sample.count == 9)
    }

    @Test func proposesTheLowestThresholdWhoseAuditedAcceptsAreGoodEnough() throws {
        // Below 0.99 half the audited accepts are wrong; at or above 0.99 none of 100 are.
        var items: [AuditPlan.AutoAccepted] = []
        for id in 1...40 { items.append(item(Int64(id), confidence: 0.96, audited: id % 2 == 0 ? "b" : "a")) }
        for id in 41...140 { items.append(item(Int64(id), confidence: 0.995, audited: "a")) }
        let plan = AuditPlan(items: items)
        let estimate = try #require(try plan.estimate(targetErrorRate: 0.05))
        #expect(estimate.audited == 140 && estimate.errors == 20)
        #expect(try plan.proposedThreshold(current: 0.95, target: 0.05) == 0.995)
        // All good: no proposal.
        let good = AuditPlan(items: (1...120).map { item($0, confidence: 0.97, audited: "a") })
        #expect(try good.proposedThreshold(current: 0.95, target: 0.05) == nil)
    }

    @Test func applyingRaisesTheThresholdInTheFileAndRequeuesItemsBelowIt() throws {
        let dir = try TemporaryDirectory()
        var config = ProjectConfig(name: "p", labels: LabelSet(names: ["a", "b"]))
        config.routing.autoAccept = 0.95
        try ConfigTemplate.render(config).write(to: dir.url.appendingPathComponent("annotty.toml"), atomically: true, encoding: .utf8)
        let project = try Project.open(dir.url)
        let store = try project.createStore()
        _ = try store.importItems { sink in for text in ["x", "y", "z"] { try sink.add(ImportRecord(text: text)) } }
        for (itemId, confidence) in [(Int64(1), 0.96), (2, 0.995), (3, 0.97)] {
            try store.recordDecision(Decision(itemId: itemId, annotator: RoutingPass.routerName, kind: .auto, label: "a",
                                              shownConfidence: confidence))
        }
        #expect(try store.openItemIds(limit: 10).isEmpty)
        let plan = try AuditPlan(store: store)
        let requeued = try AuditRequeue(store: store, project: project).apply(threshold: 0.99, plan: plan)
        #expect(requeued == 2)
        #expect(try store.openItemIds(limit: 10) == [1, 3])
        let reloaded = try Project.open(dir.url)
        #expect(reloaded.config.routing.autoAccept == 0.99)
        #expect(try String(contentsOf: project.configURL, encoding: .utf8).contains("# Calibrated confidence at or above auto_accept"))
    }
}
