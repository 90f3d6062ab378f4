import AnnottyCore
import Foundation
import Testing

/// `annotty audit` on an entity-spans project through tmux: each sampled auto-accepted span set is
/// shown as its spans; Enter confirms one, a type key retypes a span of the other; both audits are
/// stored with their spans, and the estimate counts the retyped set as wrong.
@Suite(.serialized,
       .enabled(if: TmuxSession.available, "\(TmuxSession.missingMessage)"),
       .enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct SpanAuditEndToEndTests {
    static let texts = ["Anna flew to Paris .", "Reuters reported from Lima ."]

    @Test func anAuditConfirmsOneSpanSetAndCorrectsTheOther() throws {
        let project = try LabelTestProject.spans(types: "PER,ORG,LOC,MISC", texts: Self.texts)
        let store = try project.store()
        let accepted: [Int64: [EntitySpan]] = [
            1: [EntitySpan(start: 0, end: 4, type: "PER", text: "Anna"), EntitySpan(start: 13, end: 18, type: "LOC", text: "Paris")],
            2: [EntitySpan(start: 0, end: 7, type: "PER", text: "Reuters")],
        ]
        for (itemId, spans) in accepted.sorted(by: { $0.key < $1.key }) {
            try store.recordSpanDecision(Decision(itemId: itemId, annotator: RoutingPass.routerName, kind: .auto,
                                                  label: nil, shownConfidence: 0.97, shownSource: .llm), spans: spans)
        }
        let tmux = try TmuxSession(command: AuditReviewEndToEndTests.command(project, "audit --sample 2 --seed 1 --annotator auditor"),
                                   directory: project.folder)
        defer { tmux.close() }
        var screen = try tmux.waitFor("the first audited span set") { screen in
            // The whole screen, not only its text: tmux may be read between the text and the status line.
            (screen.contains("flew to") || screen.contains("reported from")) && screen.contains("Enter confirms")
        }
        #expect(screen.contains("2 spans, 2 unchecked  auto-accepted; Enter confirms"))
        for index in 0..<2 {
            if screen.contains("reported from") {
                // Reuters is an organisation: select the span (the status line names it) and retype it.
                try tmux.send("Tab")
                _ = try tmux.waitFor(text: "\"Reuters\"")
                try tmux.send("2")
                _ = try tmux.waitFor(text: "retyped \"Reuters\": PER")
            }
            try tmux.send("Enter")
            screen = try tmux.waitFor(text: "audited \(index + 1) · left \(1 - index) of 2")
        }
        try tmux.send("q")
        let finished = try tmux.waitFor(text: "audited 2, 1 wrong")
        #expect(finished.contains("auto-accepted: 2 items"))

        let audits = try store.effectiveSpanAnnotations().filter { $0.kind == .audit }
        #expect(audits.count == 2 && audits.allSatisfy { $0.annotator == "auditor" })
        let byItem = Dictionary(uniqueKeysWithValues: audits.map { ($0.itemId, Set($0.spans.map(\.key))) })
        #expect(byItem[1] == Set(accepted[1]!.map(\.key)))
        #expect(byItem[2] == [SpanKey(start: 0, end: 7, type: "ORG")])
    }
}
