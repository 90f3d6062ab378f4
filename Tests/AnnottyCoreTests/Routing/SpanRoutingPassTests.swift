import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// Routing on an entity-span project: an item is auto-accepted only when its least sure span
/// reaches `auto_accept` (never with no span), and the auto decision is written with its spans.
@Suite struct SpanRoutingPassTests {
    static let types = LabelSet(names: ["PER", "LOC", "ORG", "MISC"])
    // "Angela Merkel" 0-13, "Paris" 22-27.
    static let sentence = "Angela Merkel visited Paris ."

    func config(autoAccept: Double = 0.8, minVerified: Int = 2) -> ProjectConfig {
        var config = ProjectConfig(name: "t", labels: Self.types)
        config.task = .spans
        config.routing.autoAccept = autoAccept
        config.routing.review = 0.7
        config.routing.minVerifiedOutcomes = minVerified
        config.routing.accuracyFloor = 0.5
        return config
    }

    static let merkel = EntitySpan(start: 0, end: 13, type: "PER", text: "Angela Merkel")
    static let paris = EntitySpan(start: 22, end: 27, type: "LOC", text: "Paris")

    func prediction(_ itemId: Int64, _ confidences: [(EntitySpan, Double)], valid: Bool = true) -> Prediction {
        Prediction(itemId: itemId, model: "m", label: valid ? SpanAnnotation.label(for: confidences.map(\.0)) : nil,
                   probabilities: Dictionary(uniqueKeysWithValues: confidences.map { ($0.0.key.text, $0.1) }),
                   isValid: valid, error: valid ? nil : "entity \"Berlin\" (LOC): the entity's text does not occur in the item")
    }

    /// Items 1-3 decided by people as the model proposed (the evidence); 4-8 open.
    func store(in dir: TemporaryDirectory) throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        _ = try store.importItems { sink in
            for index in 1...8 { try sink.add(ImportRecord(text: Self.sentence + " \(index)")) }
        }
        for itemId in Int64(1)...3 {
            let saved = try store.savePrediction(prediction(itemId, [(Self.merkel, 1), (Self.paris, 0.8)]))
            try store.recordSpanDecision(Decision(itemId: itemId, annotator: "ann", kind: .accept,
                                                  shownLabel: saved.label, predictionId: saved.id),
                                         spans: [Self.merkel, Self.paris])
        }
        try store.savePrediction(prediction(4, [(Self.merkel, 1), (Self.paris, 0.8)]))   // sure of both: auto
        try store.savePrediction(prediction(5, [(Self.merkel, 1), (Self.paris, 0.6)]))   // one span unsure: a person, first
        try store.savePrediction(prediction(6, []))                                       // no span: never on faith
        try store.savePrediction(prediction(7, [], valid: false))                         // invalid answer
        return store
    }

    @Test func aSureSpanSetIsAutoAcceptedWithItsSpansRowByRow() throws {
        let dir = try TemporaryDirectory()
        let store = try store(in: dir)
        let summary = try RoutingPass(store: store, config: config()).run(model: "m")
        #expect(summary.hold == nil)
        #expect(summary.autoAccepted == 1)
        let autos = try store.allDecisions().filter { $0.kind == .auto }
        #expect(autos.map(\.itemId) == [4])
        #expect(autos.first?.label == "spans:0-13:PER,22-27:LOC")
        #expect(autos.first?.annotator == RoutingPass.routerName)
        #expect(autos.first?.shownConfidence == 0.8)
        // The spans are in decision_spans, their text the item's: what exports read.
        let annotations = try store.effectiveSpanAnnotations(itemId: 4)
        #expect(annotations.count == 1)
        #expect(annotations.first?.kind == .auto)
        #expect(annotations.first?.spans == [Self.merkel, Self.paris])
        // The unsure, the empty and the invalid stay open: the unsure and the invalid first.
        let open = try store.openItemIds(limit: 100)
        #expect(Set(open) == [5, 6, 7, 8])
        #expect(summary.personFirst == 3 && summary.unpredicted == 1)
        #expect(open.last == 8)
    }

    @Test func noSpanSetIsAutoAcceptedBeforeEnoughVerifiedOutcomes() throws {
        let dir = try TemporaryDirectory()
        let store = try store(in: dir)
        let summary = try RoutingPass(store: store, config: config(minVerified: 10)).run(model: "m")
        #expect(summary.hold == .coldStart(verified: 3, needed: 10))
        #expect(summary.autoAccepted == 0)
        #expect(try store.allDecisions().allSatisfy { $0.kind != .auto })
    }

    @Test func aDecidedSetIsRightOnlyWhenPeopleKeptEverySpan() throws {
        let dir = try TemporaryDirectory()
        let store = try store(in: dir)
        // Item 3 corrected later: Paris dropped. 2 of 3 right, under a 0.9 floor.
        try store.recordSpanDecision(Decision(itemId: 3, annotator: "ann", kind: .correct), spans: [Self.merkel])
        let evidence = try SpanRoutingPass.evidence(store: store, model: "m")
        #expect(evidence.verified == 3)
        #expect(abs(evidence.exactlyRight - 2.0 / 3) < 1e-9)
        var strict = config()
        strict.routing.accuracyFloor = 0.9
        let summary = try RoutingPass(store: store, config: strict).run(model: "m")
        #expect(summary.autoAccepted == 0)
        #expect(summary.hold == .belowAccuracyFloor(measured: 2.0 / 3, floor: 0.9))
    }
}
