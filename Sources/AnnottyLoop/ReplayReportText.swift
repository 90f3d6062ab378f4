import Foundation

/// A replay's report as the terminal shows it: the curve as it went, then the totals.
public enum ReplayReportText {
    public static let curveHeader =
        "people  auto  auto wrong   open   LLM acc  learner acc  shown acc  pre-label from"

    public static func curveRow(_ point: LoopReplay.Point) -> String {
        func share(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "  -  " }
        return String(format: "%6d %5d %11d %6d     ", point.humanDecisions, point.autoAccepted, point.autoWrong, point.open)
            + share(point.llmAccuracy) + "        " + share(point.learnerAccuracy) + "      " + share(point.shownAccuracy)
            + "  " + point.combinerSource
    }

    public static func summary(_ report: LoopReplay.Report, margin: Double) -> String {
        var lines: [String] = []
        lines.append("items                      \(report.items)")
        lines.append(String(format: "human decisions            %d (%.1f h at the set pace)", report.humanDecisions, report.humanHours))
        let autoError = report.autoError.map { String(format: ", %.1f%% of them wrong", $0 * 100) } ?? ""
        if report.audits > 0 {
            lines.append("audits                     \(report.audits) of the human decisions, \(report.auditsWrong) of them "
                         + "finding the auto-accepted label wrong")
        }
        lines.append("auto-accepted              \(report.autoAccepted)\(autoError)\(report.audits > 0 ? " (left unaudited)" : "")")
        lines.append(String(format: "final accuracy             %.3f (all-human %.3f, %+.1f points)", report.finalAccuracy,
                            report.allHumanAccuracy, (report.finalAccuracy - report.allHumanAccuracy) * 100))
        lines.append(String(format: "human decisions saved      %.1f%% of items", report.savedShare * 100))
        lines.append(String(format: "oracle could save          %.1f%% (the %@ tier's most confident items, knowing the truth, within %.0f points)",
                            report.oracleAutoShare * 100, report.tier, margin * 100))
        if let share = report.shareOfOracle {
            lines.append(String(format: "share of the oracle        %.0f%%", share * 100))
        }
        if let halfway = report.halfway {
            lines.append(String(format: "plan at %d decisions        %d open; today's threshold: %d to people, %d auto-accepted, accuracy %.3f (%.3f-%.3f)",
                                halfway.decisionsSoFar, halfway.openItems, halfway.forecastToPeople, halfway.forecastAutoAccepted,
                                halfway.forecastAccuracy, halfway.forecastInterval.lowerBound, halfway.forecastInterval.upperBound))
            let loop = halfway.loopForecast
            lines.append(String(format: "  as the loop goes on      %d to people (%d-%d), accuracy %.3f (%.3f-%.3f)",
                                loop.toPeople, loop.toPeopleInterval.lowerBound, loop.toPeopleInterval.upperBound,
                                loop.expectedAccuracy, loop.accuracyInterval.lowerBound, loop.accuracyInterval.upperBound))
            lines.append(String(format: "what those items got       %d to people, accuracy %.3f (today's threshold: accuracy %@ its interval; "
                                + "as the loop goes on: people %@, accuracy %@)",
                                halfway.measuredToPeople, halfway.measuredAccuracy,
                                halfway.accuracyWithinInterval ? "within" : "outside",
                                halfway.loopPeopleWithinInterval ? "within" : "outside",
                                halfway.loopAccuracyWithinInterval ? "within" : "outside"))
        }
        for tier in report.tiers {
            lines.append(String(format: "calls to %@%@%d, $%.2f", tier.name,
                                String(repeating: " ", count: max(1, 18 - tier.name.count)), tier.calls, tier.cost))
        }
        if let policy = report.escalationPolicy, policy.tapers, let stronger = report.tiers.last {
            lines.append("\(stronger.name) asked about \(policy.limit) a cycle until people had labelled \(policy.taperAfterLabels), "
                         + "\(policy.taperedLimit) a cycle after")
        }
        return lines.joined(separator: "\n")
    }
}
