import ArgumentParser
import AnnottyCore
import AnnottyPostgres
import Foundation

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Throughput, golden-question accuracy, LLM cost, effort saved, audits, agreement, calibration.",
        discussion: """
        Without flags: the overview. --agreement adds Cohen's kappa per pair (unweighted, linear, \
        quadratic), Fleiss' kappa, Krippendorff's alpha (nominal, ordinal, interval, ratio) and \
        the LLM against people with a per-label confusion. --calibration adds ECE before and after \
        calibration and a reliability diagram; --svg FILE also writes the diagram as SVG. \
        The overview counts likely label errors (annotty review --suspects walks them) up to \
        \(SuspectDecisions.statsLimit) items labelled by people; --suspects counts them at any \
        size (it trains five task learners: seconds per thousand items).

        Multi-label projects (task = "multi"): --agreement gives Krippendorff's alpha over whole \
        sets with the MASI and the Jaccard distance, Fleiss' kappa per label and Cohen's kappa \
        per label for each pair of people (each label as a yes/no question: leaving it out is a \
        "no"). Golden-question accuracy counts exact sets. Likely label errors and --calibration \
        are single-label only so far.

        Entity-span projects (task = "spans"): --agreement gives, per pair of people, exact-match \
        span F1 (same start, end and type) with precision and recall, and Cohen's kappa over \
        the items' tokens tagged IOB2, pooled over all pairs as well; each person's latest set \
        per item counts. --calibration and --suspects are not available there yet.
        """)

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Inter-annotator agreement.")
    var agreement = false

    @Option(help: "With --agreement: how many annotator pairs to list.")
    var pairs: Int = 10

    @Flag(help: "Count likely label errors however many items people labelled.")
    var suspects = false

    @Flag(help: "Calibration of the LLM's confidence (ECE, reliability diagram).")
    var calibration = false

    @Option(help: "With --calibration: also write the reliability diagram as an SVG file.")
    var svg: String?

    func validate() throws {
        guard pairs >= 1 else { throw ValidationError("--pairs must be at least 1") }
    }

    func run() throws {
        let project = try project.open()
        try project.config.requireTask(.single, .multi, .spans, command: "stats")
        let config = project.config
        if config.task == .spans && (calibration || svg != nil || suspects) {
            throw CommandFailure("--calibration and --suspects are not available on a spans project yet; "
                                 + "run `annotty stats` or `annotty stats --agreement`")
        }
        let isMulti = config.task == .multi || config.task == .spans
        if isMulti && (calibration || svg != nil || suspects) {
            throw CommandFailure("--calibration and --suspects are single-label only so far; on this multi-label project "
                                 + "run `annotty stats` or `annotty stats --agreement`")
        }
        let store = try ProjectStore.open(project, access: .readOnly)
        let statistics = try ProjectStatistics(store: store, routing: config.routing)
        let suspectsLine = isMulti ? nil
            : try SuspectDecisions.statsLine(store: store, labels: config.labels, model: config.llm.model,
                                             limit: suspects ? Int.max : SuspectDecisions.statsLimit)
        print(StatsOverview.render(statistics, config: config, suspectsLine: suspectsLine))
        if agreement {
            print("")
            if config.task == .spans {
                guard let spanStore = store as? SQLiteStore else { throw StoreKindError(command: "stats on entity spans", folder: project.folder) }
                print(try SpanAgreementReport(store: spanStore).render(maxPairs: pairs))
            } else if isMulti {
                print(try MultiLabelAgreementReport(store: store, labels: config.labels).render(maxPairs: pairs))
            } else {
                print(try AgreementReport(store: store, labels: config.labels).render(maxPairs: pairs))
            }
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
