/// What the audits of a multi-label project say: the error rate of whole auto-accepted sets (an
/// item is wrong when the auditor's set differs from the accepted one in any label) and, per
/// label, how often that label was wrong (in one set and not the other), each with a 95% Wilson
/// interval. The per-label rates show which labels the whole-set errors come from.
public struct MultiLabelAuditEstimate: Sendable, Equatable {
    public struct LabelEstimate: Sendable, Equatable {
        public var label: String
        public var estimate: AuditEstimate
        /// Audited items where the label was accepted as in but the auditor left it out.
        public var wronglyIn: Int
        /// Audited items where the label was accepted as out but the auditor put it in.
        public var wronglyOut: Int
    }

    /// Whole sets; `target` is the audit target (`audit_target_error_rate`).
    public var sets: AuditEstimate
    /// One per label of the project, in label order, over the audited items whose accepted and
    /// audited labels are both sets of the project's labels.
    public var perLabel: [LabelEstimate]

    /// Nil when nothing auto-accepted has been audited yet.
    public init?(plan: AuditPlan, labels: LabelSet, targetErrorRate: Double) throws {
        guard let sets = try plan.estimate(targetErrorRate: targetErrorRate) else { return nil }
        let pairs: [(accepted: Set<Int>, audited: Set<Int>)] = plan.audited.compactMap { item in
            guard let auditedLabel = item.auditedLabel,
                  let accepted = MultiLabelAnswer.decode(item.label, labels: labels),
                  let audited = MultiLabelAnswer.decode(auditedLabel, labels: labels) else { return nil }
            return (accepted.indices(in: labels), audited.indices(in: labels))
        }
        self.sets = sets
        perLabel = try labels.names.indices.compactMap { index in
            guard !pairs.isEmpty else { return nil }
            let wronglyIn = pairs.filter { $0.accepted.contains(index) && !$0.audited.contains(index) }.count
            let wronglyOut = pairs.filter { !$0.accepted.contains(index) && $0.audited.contains(index) }.count
            return LabelEstimate(label: labels.names[index],
                                 estimate: try AuditEstimate(audited: pairs.count, errors: wronglyIn + wronglyOut,
                                                             targetErrorRate: targetErrorRate),
                                 wronglyIn: wronglyIn, wronglyOut: wronglyOut)
        }
    }
}
