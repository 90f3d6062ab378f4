import ArgumentParser
import AnnottyCore
import Foundation

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Throughput, golden-question accuracy, LLM cost, effort saved, audits, agreement, calibration.",
        discussion: """
        Without flags: the overview. --agreement adds Cohen's kappa per pair (unweighted, linear,
        quadratic), Fleiss' kappa, Krippendorff's alpha (nominal, ordinal, interval, ratio) and
        the LLM against people with a per-label confusion. --calibration adds ECE before and after
        calibration and a reliability diagram; --svg FILE also writes the diagram as SVG.
        """)

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Inter-annotator agreement.")
    var agreement = false

    @Option(help: "With --agreement: how many annotator pairs to list.")
    var pairs: Int = 10

    @Flag(help: "Calibration of the LLM's confidence (ECE, reliability diagram).")
    var calibration = false

    @Option(help: "With --calibration: also write the reliability diagram as an SVG file.")
    var svg: String?

    func run() throws {
        let project = try project.open()
        let store = try project.openStore(access: .readOnly)
        let config = project.config
        let statistics = try ProjectStatistics(store: store, routing: config.routing)
        print(StatsOverview.render(statistics, config: config))
        if agreement {
            print("")
            print(try AgreementReport(store: store, labels: config.labels).render(maxPairs: pairs))
        }
        if calibration || svg != nil {
            print("")
            let report = try CalibrationReport(store: store, labels: config.labels)
            print(report.render())
            if let svg {
                try report.svg().write(toFile: svg, atomically: true, encoding: .utf8)
                print("wrote the reliability diagram to \(svg)")
            }
        }
    }
}

/// The text of `annotty stats` without flags.
enum StatsOverview {
    static func render(_ statistics: ProjectStatistics, config: ProjectConfig) -> String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        let counts = statistics.counts
        var out = "\(config.name): \(counts.items) items, \(counts.open) open, \(counts.labelledByPeople) labelled by people, "
        out += "\(counts.autoAccepted) auto-accepted\n"
        out += "human effort saved      \(percent(statistics.effortSaved)) of decided items were auto-accepted\n"
        out += "estimated accuracy      \(percent(statistics.estimatedDatasetAccuracy)) of the final labels\n"
        if let audit = statistics.audit {
            out += String(format: "audit                   %d audited, %d wrong: error rate %.1f%% (95%% Wilson %.1f%%–%.1f%%), target %.1f%%\n",
                          audit.audited, audit.errors, audit.errorRate * 100, audit.lower * 100, audit.upper * 100, audit.target * 100)
            if let more = audit.moreAuditsNeeded, more > 0 {
                out += "                        about \(more) more audits would bound it below the target\n"
            } else if audit.moreAuditsNeeded == nil {
                out += "                        the observed rate is above the target: raise the threshold (annotty audit --apply)\n"
            }
        } else {
            out += "audit                   none yet (annotty audit)\n"
        }
        let usage = statistics.usage
        out += "\nLLM (\(config.llm.provider.rawValue), \(config.llm.model))\n"
        out += "  calls                 \(usage.calls) (\(usage.invalid) invalid or failed)\n"
        out += "  tokens                \(usage.tokensIn) in, \(usage.tokensOut) out\n"
        out += String(format: "  estimated cost        $%.4f\n", usage.costUSD)
        if let latency = usage.medianLatencyMs { out += String(format: "  median latency        %.0f ms\n", latency) }
        out += "  accuracy on verified  \(percent(statistics.llmAccuracyOnVerified)) of \(statistics.verifiedOutcomes) pre-labels people checked\n"
        if !statistics.annotators.isEmpty {
            out += "\nannotator            labels  skips  s/item  items/h  golden\n"
            let shown = statistics.annotators.sorted { ($0.labels, $1.name) > ($1.labels, $0.name) }.prefix(20)
            for person in shown {
                let golden = person.goldenAccuracy.map { String(format: "%.1f%% of %d", $0 * 100, person.goldenAnswered) } ?? "—"
                out += TerminalSafeText.singleLine(person.name, limit: 20).padding(toLength: 20, withPad: " ", startingAt: 0)
                let seconds = person.medianSecondsPerItem.map { String(format: "%.1f", $0) } ?? "—"
                let perHour = person.itemsPerHour.map { String(format: "%.0f", $0) } ?? "—"
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
