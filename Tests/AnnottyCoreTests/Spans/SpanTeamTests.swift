import Foundation
import Testing
@testable import AnnottyCore
import AnnottyTestSupport

/// Agreement and span majority from a real store, against figures worked out by hand.
@Suite struct SpanTeamTests {
    static let text = "Ada met Babbage in London"
    static let ada = EntitySpan(start: 0, end: 3, type: "PER", text: "Ada")
    static let babbage = EntitySpan(start: 8, end: 15, type: "PER", text: "Babbage")
    static let babbageOrg = EntitySpan(start: 8, end: 15, type: "ORG", text: "Babbage")
    static let london = EntitySpan(start: 19, end: 25, type: "LOC", text: "London")

    /// alice: Ada, Babbage, London (after an empty set she replaced); bob: Ada, London;
    /// cy: Ada, Babbage as ORG, London; the router's auto-accept counts for nobody.
    func store(_ directory: TemporaryDirectory) throws -> SQLiteStore {
        let store = try SQLiteStore(path: directory.path("annotty.sqlite"))
        _ = try store.importItems { sink in try sink.add(ImportRecord(externalId: "s1", text: Self.text)) }
        try store.recordSpanDecision(Decision(itemId: 1, annotator: "router", kind: .auto), spans: [Self.babbageOrg])
        try store.recordSpanDecision(Decision(itemId: 1, annotator: "alice", kind: .correct), spans: [])
        try store.recordSpanDecision(Decision(itemId: 1, annotator: "alice", kind: .correct), spans: [Self.ada, Self.babbage, Self.london])
        try store.recordSpanDecision(Decision(itemId: 1, annotator: "bob", kind: .accept), spans: [Self.ada, Self.london])
        try store.recordSpanDecision(Decision(itemId: 1, annotator: "cy", kind: .correct), spans: [Self.ada, Self.babbageOrg, Self.london])
        return store
    }

    @Test func pairwiseSpanF1AndTokenKappaAreTheHandComputedOnes() throws {
        let directory = try TemporaryDirectory()
        let report = try SpanAgreementReport(store: try store(directory))
        #expect(report.annotators == 3)
        #expect(report.pairs.map { "\($0.first)/\($0.second)" } == ["alice/bob", "alice/cy", "bob/cy"])
        // alice/bob: 2 of alice's 3 → P 1, R 2/3, F1 0.8; alice/cy: 2 of 3 each → 2/3; bob/cy: 0.8.
        let f1 = report.pairs.map(\.score.f1)
        #expect(abs(f1[0] - 0.8) < 1e-12 && abs(f1[1] - 2.0 / 3) < 1e-12 && abs(f1[2] - 0.8) < 1e-12)
        #expect(abs(report.meanF1! - (0.8 + 2.0 / 3 + 0.8) / 3) < 1e-12)
        // alice/bob tags: B-PER O B-PER O B-LOC vs B-PER O O O B-LOC: p_o 4/5,
        // p_e 2/5·1/5 + 2/5·3/5 + 1/5·1/5 = 9/25, κ = (0.8 − 0.36) / 0.64 = 0.6875.
        #expect(abs(report.pairs[0].tokenKappa! - 0.6875) < 1e-12)
        let rendered = report.render(maxPairs: 2)
        #expect(rendered.contains("mean pairwise exact-match span F1: 0.756"))
        #expect(rendered.contains("(1 more pairs; --pairs N lists more)"))
    }

    @Test func spanMajorityIsStoredAndTheExportTakesIt() throws {
        let directory = try TemporaryDirectory()
        let store = try store(directory)
        let outcome = try SpanAggregationRun(store: store).run()
        #expect(outcome == SpanAggregationRun.Outcome(items: 1, keptSpans: 2, droppedSpans: 2, tiedSpans: 0, singleAnnotatorItems: 0))
        let stored = try store.aggregates(method: "majority")[1]
        #expect(stored?.label == "spans:0-3:PER,19-25:LOC")
        #expect(stored?.posteriors["8-15:PER"].map { abs($0 - 1.0 / 3) < 1e-12 } == true)
        #expect(stored?.posteriors["0-3:PER"] == 1)

        let (items, summary) = try SpanExporter(store: store, labels: LabelSet(names: ["PER", "ORG", "LOC"])).finalItems()
        #expect(summary.labelFrom == ["aggregate-majority": 1])
        #expect(items.map(\.spanKeys) == [[Self.ada.key, Self.london.key]])
    }

    @Test func withoutTwoPeopleOnAnItemThereIsNoAgreementToReport() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(path: directory.path("annotty.sqlite"))
        _ = try store.importItems { sink in try sink.add(ImportRecord(text: Self.text)) }
        try store.recordSpanDecision(Decision(itemId: 1, annotator: "alice", kind: .correct), spans: [Self.ada])
        let report = try SpanAgreementReport(store: store)
        #expect(report.pairs.isEmpty)
        #expect(report.render(maxPairs: 10).contains("no two people annotated the same item yet"))
    }
}
