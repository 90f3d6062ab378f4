/// How right the final labels are likely to be, and what that rests on. Each part of the final
/// labels needs its own evidence: people's labels are checked against gold answers (golden
/// questions, or `import-annotations --gold-column`), auto-accepted ones by audits (or, before any
/// audit, by how often people agreed with the LLM's shown pre-labels). A part with no evidence
/// makes the whole estimate unknown rather than silently counting it as right.
public struct DatasetAccuracyEstimate: Sendable, Equatable {
    /// The estimated share of final labels that are right; nil when unknown.
    public var accuracy: Double?
    /// What the figure rests on, or why there is none and how to get one.
    public var basis: String

    public init(peopleLabelled: Int, peopleCheckedAgainstGold: Int, peopleMatchingGold: Int,
                autoAccepted: Int, audit: AuditEstimate?, verifiedPreLabels: Int, llmAccuracyOnVerified: Double?) {
        var parts: [String] = []
        var missing: [String] = []
        var weighted = 0.0
        if peopleLabelled > 0 {
            if peopleCheckedAgainstGold > 0 {
                let rate = Double(peopleMatchingGold) / Double(peopleCheckedAgainstGold)
                weighted += Double(peopleLabelled) * rate
                parts.append("people's labels: \(peopleMatchingGold) of \(peopleCheckedAgainstGold) final labels with a gold answer agree with it")
            } else {
                missing.append("\(peopleLabelled) labels by people have no gold answers to check them against "
                    + "(add golden questions, or import-annotations --gold-column)")
            }
        }
        if autoAccepted > 0 {
            if let audit {
                weighted += Double(autoAccepted) * (1 - audit.errorRate)
                parts.append("auto-accepted: audit of \(audit.audited), \(audit.errors) wrong")
            } else if let llmAccuracyOnVerified, verifiedPreLabels > 0 {
                weighted += Double(autoAccepted) * llmAccuracyOnVerified
                parts.append("auto-accepted: no audit yet, the LLM's accuracy on \(verifiedPreLabels) pre-labels people checked")
            } else {
                missing.append("\(autoAccepted) auto-accepted labels have no audit (annotty audit)")
            }
        }
        let decided = peopleLabelled + autoAccepted
        if decided == 0 {
            accuracy = nil
            basis = "nothing is labelled yet"
        } else if !missing.isEmpty {
            accuracy = nil
            basis = "unknown: " + missing.joined(separator: "; ")
        } else {
            accuracy = weighted / Double(decided)
            basis = parts.joined(separator: "; ")
        }
    }
}
