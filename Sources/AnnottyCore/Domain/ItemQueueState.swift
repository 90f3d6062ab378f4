/// An item's state derived from its decision log: whether it still needs a person, and its
/// final label. Pure, so the rules for undo and overlap are tested without a database.
public struct ItemQueueState: Sendable, Equatable {
    public var isOpen: Bool
    public var humanLabels: Int
    public var labelsNeeded: Int
    public var finalLabel: String?
    public var finalKind: DecisionKind?

    public init(decisions: [Decision], policy: OverlapPolicy) {
        let undone = Set(decisions.compactMap(\.undoesDecisionId))
        let effective = decisions.filter { $0.kind != .undo && !undone.contains($0.id) }

        // A reviewer's or an auditor's word is final.
        if let final = effective.last(where: { $0.kind == .adjudicate }) ?? effective.last(where: { $0.kind == .audit }) {
            self.init(isOpen: false, humanLabels: ItemQueueState.latestLabelPerAnnotator(effective).count,
                      labelsNeeded: policy.overlap, finalLabel: final.label, finalKind: final.kind)
            return
        }
        let labels = ItemQueueState.latestLabelPerAnnotator(effective)
        if labels.isEmpty {
            if let auto = effective.last(where: { $0.kind == .auto }) {
                self.init(isOpen: false, humanLabels: 0, labelsNeeded: policy.overlap, finalLabel: auto.label, finalKind: .auto)
            } else {
                self.init(isOpen: true, humanLabels: 0, labelsNeeded: policy.overlap, finalLabel: nil, finalKind: nil)
            }
            return
        }
        var votes: [String: Int] = [:]
        for decision in labels { votes[decision.label ?? "", default: 0] += 1 }
        let top = votes.values.max() ?? 0
        let leaders = labels.filter { votes[$0.label ?? ""] == top }
        // Ties go to the label given first, so the outcome does not depend on dictionary order.
        let leader = leaders.min(by: { $0.id < $1.id })!
        let unanimous = votes.count == 1
        let strictMajority = top * 2 > labels.count
        let needed: Int
        if labels.count < policy.overlap || unanimous {
            needed = policy.overlap
        } else if strictMajority && labels.count > policy.overlap {
            needed = labels.count
        } else {
            // The first people disagree: ask one more, up to the cap.
            needed = min(policy.maxOverlap, labels.count + 1)
        }
        let open = labels.count < needed
        self.init(isOpen: open, humanLabels: labels.count, labelsNeeded: needed,
                  finalLabel: open && policy.overlap > 1 ? nil : leader.label, finalKind: open && policy.overlap > 1 ? nil : leader.kind)
    }

    public init(isOpen: Bool, humanLabels: Int, labelsNeeded: Int, finalLabel: String?, finalKind: DecisionKind?) {
        self.isOpen = isOpen
        self.humanLabels = humanLabels
        self.labelsNeeded = labelsNeeded
        self.finalLabel = finalLabel
        self.finalKind = finalKind
    }

    /// The latest labelling decision of each person (accept, correct, imported).
    static func latestLabelPerAnnotator(_ effective: [Decision]) -> [Decision] {
        var latest: [String: Decision] = [:]
        for decision in effective where [.accept, .correct, .imported].contains(decision.kind) {
            latest[decision.annotator] = decision
        }
        return latest.values.sorted { $0.id < $1.id }
    }
}
