import Foundation

/// The text of `annotty stats` without flags.
public enum StatsOverview {
    /// - Parameter suspectsLine: the likely label errors' line (`SuspectDecisions.statsLine`), under the audit.
    public static func render(_ statistics: ProjectStatistics, config: ProjectConfig, suspectsLine: String? = nil) -> String {
        func percent(_ value: Double?) -> String { value.map { DecimalFormat.percent($0) } ?? "—" }
        let counts = statistics.counts
        var out = "\(config.name): \(counts.items) items, \(counts.open) open, \(counts.labelledByPeople) labelled by people, "
        out += "\(counts.autoAccepted) auto-accepted\n"
        out += "human effort saved      \(percent(statistics.effortSaved)) of decided items were auto-accepted\n"
        if let accuracy = statistics.datasetAccuracy.accuracy {
            out += "estimated accuracy      \(percent(accuracy)) of the final labels\n"
            out += "                        rests on \(statistics.datasetAccuracy.basis)\n"
        } else {
            out += "estimated accuracy      \(statistics.datasetAccuracy.basis)\n"
        }
        if let audit = statistics.audit {
            out += "audit                   \(audit.audited) audited, \(audit.errors) wrong: error rate \(percent(audit.errorRate)) "
                + "(95% Wilson \(percent(audit.lower))–\(percent(audit.upper))), target \(percent(audit.target))\n"
            if let more = audit.moreAuditsNeeded, more > 0 {
                out += "                        about \(more) more audits would bound it below the target\n"
            } else if audit.moreAuditsNeeded == nil {
                out += "                        the observed rate is above the target: raise the threshold (annotty audit --apply)\n"
            }
        } else {
            out += "audit                   none yet (annotty audit)\n"
        }
        if let suspectsLine { out += suspectsLine + "\n" }
        let usage = statistics.usage
        if config.llm.provider == .none && usage.calls == 0 {
            out += "\nLLM: none\n"
            return out + annotatorTable(statistics, percent: percent)
        }
        out += config.llm.provider == .none ? "\nLLM: none now (earlier calls below)\n"
            : "\nLLM (\(config.llm.provider.rawValue), \(config.llm.model))\n"
        out += "  calls                 \(usage.calls) (\(usage.invalid) invalid or failed)\n"
        out += "  tokens                \(usage.tokensIn) in, \(usage.tokensOut) out\n"
        out += "  estimated cost        $\(DecimalFormat.fixed(usage.costUSD, places: 4))\n"
        if let latency = usage.medianLatencyMs { out += "  median latency        \(DecimalFormat.fixed(latency, places: 0)) ms\n" }
        if usage.byModel.count > 1 {
            // A cascade, or a model changed on the way: each model's share apart.
            for model in usage.byModel {
                out += "  " + TerminalSafeText.singleLine(model.model, limit: 40) + ": \(model.calls) calls, "
                    + "\(model.tokensIn) in, \(model.tokensOut) out, $\(DecimalFormat.fixed(model.costUSD, places: 4))\n"
            }
        }
        out += "  accuracy on verified  \(percent(statistics.llmAccuracyOnVerified)) of \(statistics.verifiedOutcomes) pre-labels people checked\n"
        return out + annotatorTable(statistics, percent: percent)
    }

    private static func annotatorTable(_ statistics: ProjectStatistics, percent: (Double?) -> String) -> String {
        var out = ""
        if !statistics.annotators.isEmpty {
            out += "\nannotator            labels  skips  s/item  items/h  gold (answers with a known label)\n"
            let shown = statistics.annotators.sorted { ($0.labels, $1.name) > ($1.labels, $0.name) }.prefix(20)
            for person in shown {
                let golden = person.goldenAccuracy.map { "\(percent($0)) of \(person.goldenAnswered)" } ?? "—"
                out += TerminalSafeText.singleLine(person.name, limit: 20).padding(toLength: 20, withPad: " ", startingAt: 0)
                let seconds = person.medianSecondsPerItem.map { DecimalFormat.fixed($0, places: 1) } ?? "—"
                let perHour = person.itemsPerHour.map { DecimalFormat.fixed($0, places: 0) } ?? "—"
                out += String(format: " %6d  %5d  ", person.labels, person.skips)
                out += String(repeating: " ", count: max(0, 6 - seconds.count)) + seconds + "  "
                out += String(repeating: " ", count: max(0, 7 - perHour.count)) + perHour + "  " + golden + "\n"
            }
            if statistics.annotators.count > shown.count {
                out += "(\(statistics.annotators.count - shown.count) more annotators with fewer labels)\n"
            }
        }
        return out
    }
}
