import Foundation
import Testing
import AnnottyCore

/// `annotty label` on an entity-spans project, driven through tmux at 80x24 in a monochrome
/// terminal (vt100) with `LANG=C`: a proposed span accepted, one rejected, one retyped and one
/// made by keys (undone once and made again), an item answered from scratch with an extended
/// word selection, and a pre-label accepted whole; then `decisions` and `decision_spans` row by row.
@Suite(.serialized,
       .enabled(if: TmuxSession.available, "\(TmuxSession.missingMessage)"),
       .enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct SpanEndToEndTests {
    // Scalar offsets of the first text: Boris 0-5, Johnson 6-13, met 14-17, Angela 18-24, Merkel
    // 25-31, in 32-34, Berlin 35-41, and 42-45, Paris 46-51, on 52-54, Monday 55-61, "." 62-63.
    static let texts = ["Boris Johnson met Angela Merkel in Berlin and Paris on Monday .",
                        "The United Nations said so .",
                        "Reuters reported from Paris ."]

    static func prediction(itemId: Int64, _ spans: [(String, Double)]) -> Prediction {
        let keys = spans.map { SpanKey(text: $0.0)! }
        let text = ScalarText(texts[Int(itemId) - 1])
        let entities = keys.map { EntitySpan(start: $0.start, end: $0.end, type: $0.type, text: text.slice($0.start, $0.end)!) }
        return Prediction(itemId: itemId, model: "e2e", label: SpanAnnotation.label(for: entities),
                          probabilities: Dictionary(uniqueKeysWithValues: spans))
    }

    @Test func acceptRejectRetypeAndMakeSpansByKeysThenCheckEveryRow() throws {
        let project = try LabelTestProject.spans(types: "PER,ORG,LOC,MISC", texts: Self.texts)
        let store = try project.store()
        let proposals: [Int64: [(String, Double)]] = [
            1: [("0-13:PER", 0.9), ("18-31:ORG", 0.55), ("35-41:LOC", 0.8), ("55-61:MISC", 0.4)],
            3: [("0-7:ORG", 0.9), ("22-27:LOC", 0.85)],
        ]
        var shown: [Int64: String] = [:]
        for (itemId, spans) in proposals {
            let saved = try store.savePrediction(Self.prediction(itemId: itemId, spans))
            shown[itemId] = saved.label
        }

        let tmux = try TmuxSession(command: project.labelCommand(annotator: "e2e", term: "vt100", locale: "C"),
                                   directory: project.folder)
        defer { tmux.close() }
        var screen = try tmux.waitFor("the first item") { $0.shownItemId != nil && $0.contains("Enter save") }
        #expect(!LabelEndToEndTests.usesColor(try tmux.captureWithAttributes()))

        var expected: [(itemId: Int64, kind: DecisionKind, label: String)] = []
        func press(_ keys: String..., until message: String) throws {
            for key in keys { try tmux.send(key) }
            screen = try tmux.waitFor(text: message)
        }
        func commit(_ itemId: Int64, kind: DecisionKind, label: String) throws {
            try tmux.send("Enter")
            expected.append((itemId, kind, label))
            let want = expected.count
            screen = try tmux.waitFor("you \(want) after item \(itemId)") { $0.labelledCount == want && $0.shownItemId != itemId }
        }

        var visited: [Int64] = []
        while let itemId = screen.shownItemId, !visited.contains(itemId) {
            visited.append(itemId)
            #expect(screen.allSatisfy { $0.isASCII }, "\(screen)")
            #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 80 })
            switch itemId {
            case 1:
                #expect(screen.contains("{Boris Johnson}PER met {Angela Merkel}ORG in {Berlin}LOC and Paris on"))
                #expect(screen.contains("Pre-label  > 4 spans, 4 unchecked  least sure 0.40"))
                try press("Tab", "y", until: "accepted: PER \"Boris Johnson\"")
                try press("1", until: "retyped \"Angela Merkel\": ORG -> PER")
                try press("Tab", "y", until: "accepted: LOC \"Berlin\"")
                try press("x", until: "rejected: MISC \"Monday\"")
                // From the first span, Right goes word by word: met, Angela, ..., Paris.
                for _ in 0..<7 { try tmux.send("Right") }
                try press("3", until: "made LOC: \"Paris\"")
                try press("u", until: "undid: made LOC \"Paris\"")
                #expect(screen.contains(" and Paris on Monday ."))
                try press("3", until: "made LOC: \"Paris\"")
                #expect(screen.contains("[Boris Johnson]PER met [Angela Merkel]PER in [Berlin]LOC and [Paris]LOC on"))
                try commit(1, kind: .correct, label: "spans:0-13:PER,18-31:PER,35-41:LOC,46-51:LOC")
                #expect(screen.contains("item 1 corrected: 4 spans proposed, 4 spans saved"))
            case 2:
                #expect(screen.contains("Pre-label  none: select words"))
                try press("Right", "Right", ">", "2", until: "made ORG: \"United Nations\"")
                #expect(screen.contains("The [United Nations]ORG said so ."))
                try commit(2, kind: .correct, label: "spans:4-18:ORG")
            case 3:
                #expect(screen.contains("{Reuters}ORG reported from {Paris}LOC ."))
                try commit(3, kind: .accept, label: "spans:0-7:ORG,22-27:LOC")
                #expect(screen.contains("item 3 accepted: 2 spans as proposed"))
            default:
                Issue.record("unexpected item \(itemId)")
            }
        }
        #expect(visited.sorted() == [1, 2, 3])
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)

        // `decisions`, row by row in the order the items were answered.
        let rows = try project.store().allDecisions()
        #expect(rows.count == expected.count)
        for (index, (row, want)) in zip(rows, expected).enumerated() {
            #expect(row.itemId == want.itemId, "row \(index): \(row)")
            #expect(row.kind == want.kind, "row \(index): \(row)")
            #expect(row.label == want.label, "row \(index): \(row)")
            #expect(row.annotator == "e2e", "row \(index)")
            #expect(row.shownLabel == shown[want.itemId], "row \(index): \(row)")
            #expect(row.predictionId != nil || shown[want.itemId] == nil, "row \(index): \(row)")
        }
        // `decision_spans`: each decision's spans with the item's own text.
        let annotations = try project.store().effectiveSpanAnnotations()
        let byItem = Dictionary(uniqueKeysWithValues: annotations.map { ($0.itemId, $0) })
        let wantSpans: [Int64: [EntitySpan]] = [
            1: [EntitySpan(start: 0, end: 13, type: "PER", text: "Boris Johnson"),
                EntitySpan(start: 18, end: 31, type: "PER", text: "Angela Merkel"),
                EntitySpan(start: 35, end: 41, type: "LOC", text: "Berlin"),
                EntitySpan(start: 46, end: 51, type: "LOC", text: "Paris")],
            2: [EntitySpan(start: 4, end: 18, type: "ORG", text: "United Nations")],
            3: [EntitySpan(start: 0, end: 7, type: "ORG", text: "Reuters"),
                EntitySpan(start: 22, end: 27, type: "LOC", text: "Paris")],
        ]
        for (itemId, spans) in wantSpans {
            #expect(byItem[itemId]?.spans == spans, "item \(itemId): \(String(describing: byItem[itemId]))")
            #expect(byItem[itemId]?.decisionId == rows.first { $0.itemId == itemId }?.id)
        }
    }
}
