import AnnottyCore
import Testing

@Suite struct ItemQueueStateTests {
    func decision(_ id: Int64, _ annotator: String, _ kind: DecisionKind, _ label: String? = nil, undoes: Int64? = nil) -> Decision {
        Decision(id: id, itemId: 1, annotator: annotator, kind: kind, label: label, undoesDecisionId: undoes)
    }

    @Test func anUndoneLabelReopensTheItem() {
        let policy = OverlapPolicy()
        let labelled = ItemQueueState(decisions: [decision(1, "ann", .correct, "a")], policy: policy)
        #expect(!labelled.isOpen && labelled.finalLabel == "a")
        let undone = ItemQueueState(decisions: [decision(1, "ann", .correct, "a"), decision(2, "ann", .undo, undoes: 1)], policy: policy)
        #expect(undone.isOpen && undone.finalLabel == nil)
    }

    @Test func skipsAndFlagsDoNotLabel() {
        let state = ItemQueueState(decisions: [decision(1, "ann", .skip), decision(2, "bob", .flag)], policy: OverlapPolicy())
        #expect(state.isOpen && state.humanLabels == 0)
    }

    @Test func disagreementAsksOneMorePersonUpToTheCap() {
        let policy = OverlapPolicy(overlap: 2, maxOverlap: 3)
        let agree = ItemQueueState(decisions: [decision(1, "a", .correct, "x"), decision(2, "b", .accept, "x")], policy: policy)
        #expect(!agree.isOpen && agree.finalLabel == "x" && agree.labelsNeeded == 2)
        let disagree = ItemQueueState(decisions: [decision(1, "a", .correct, "x"), decision(2, "b", .correct, "y")], policy: policy)
        #expect(disagree.isOpen && disagree.labelsNeeded == 3 && disagree.finalLabel == nil)
        let resolved = ItemQueueState(decisions: [decision(1, "a", .correct, "x"), decision(2, "b", .correct, "y"),
                                                  decision(3, "c", .correct, "y")], policy: policy)
        #expect(!resolved.isOpen && resolved.finalLabel == "y")
        let capped = ItemQueueState(decisions: [decision(1, "a", .correct, "x"), decision(2, "b", .correct, "y"),
                                                decision(3, "c", .correct, "z")], policy: policy)
        #expect(!capped.isOpen && capped.humanLabels == 3)
    }

    @Test func adjudicationAndAuditOverrideVotes() {
        let policy = OverlapPolicy(overlap: 2, maxOverlap: 2)
        let state = ItemQueueState(decisions: [decision(1, "a", .correct, "x"), decision(2, "b", .correct, "y"),
                                               decision(3, "rev", .adjudicate, "y")], policy: policy)
        #expect(!state.isOpen && state.finalLabel == "y" && state.finalKind == .adjudicate)
        let audited = ItemQueueState(decisions: [decision(1, "router", .auto, "x"), decision(2, "aud", .audit, "z")], policy: policy)
        #expect(audited.finalLabel == "z" && audited.finalKind == .audit)
    }

    @Test func autoAcceptClosesTheItemUntilUndone() {
        let auto = ItemQueueState(decisions: [decision(1, "router", .auto, "x")], policy: OverlapPolicy())
        #expect(!auto.isOpen && auto.finalKind == .auto)
    }
}
