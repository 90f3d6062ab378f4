import ArgumentParser
import AnnottyCore
import AnnottyPostgres
import AnnottyLoop
import Foundation

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Spot-check a random sample of auto-accepted items and estimate their error rate.",
        discussion: """
        Shows each sampled item with the label it was auto-accepted with (not its confidence): \
        Enter confirms it, a label's key corrects it. Then prints the estimated error rate of the \
        whole auto-accepted set with a 95% Wilson interval, and how many more audits would bound \
        it below the target (audit_target_error_rate in annotty.toml). When the upper bound is \
        above the target it proposes a higher auto-accept threshold; --apply writes it to \
        annotty.toml and sends the auto-accepted items below it back to people.

        --report prints the estimate and proposal without opening the screen.

        Multi-label projects (--report only for now): an auto-accepted set is wrong when the \
        auditor's set differs in any label; below the whole-set estimate each label's own error \
        rate (in one set and not the other) is printed with its interval. The threshold proposed \
        is on a set's settledness, the confidence its least settled label has.
        """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var annotator: AnnotatorOptions

    @Option(help: "How many auto-accepted items to show.")
    var sample: Int = 20

    @Flag(help: "Draw the same number from each confidence band instead of uniformly.")
    var stratified = false

    @Option(help: "Seed of the random sample (default: the time).")
    var seed: UInt64?

    @Flag(help: "Apply the proposed threshold and re-queue the items below it.")
    var apply = false

    @Flag(help: "Only print the estimate and the proposal.")
    var report = false

    func validate() throws {
        guard sample >= 1 else { throw ValidationError("--sample must be at least 1") }
    }

    func run() throws {
        let project = try project.open()
        try project.config.requireTask(.single, .multi, .spans, command: "audit")
        // A report only reads, so it works on a project this user cannot write; --apply writes.
        let store = try ProjectStore.open(project, access: report && !apply ? .readOnly : .readWrite)
        if !report {
            switch try LabelingLoop.audit(project: project, store: store, annotator: annotator.name,
                                          guidelines: project.guidelinesOrWarn(), sample: sample,
                                          sampling: stratified ? .stratified : .uniform,
                                          seed: seed ?? UInt64(Date().timeIntervalSince1970 * 1000)) {
            case .nothingToShow(let reason):
                print(reason)
                if try AuditPlan(store: store).items.isEmpty { return }  // nothing to estimate either
            case .ready(let loop, _):
                let summary = try loop.run()
                print("\(summary.decisions) audit decision(s) saved.")
            }
        }
        try printEstimate(project: project, store: store)
    }

    func printEstimate(project: Project, store: any AnnotationStore) throws {
        let routing = project.config.routing
        let plan = try AuditPlan(store: store)
        guard let estimate = try plan.estimate(targetErrorRate: routing.auditTargetErrorRate) else {
            print("no audits yet")
            return
        }
        print(String(format: "auto-accepted: %d items; audited %d, %d wrong", plan.items.count, estimate.audited, estimate.errors))
        print(String(format: "estimated error rate %.1f%% (95%% Wilson interval %.1f%% to %.1f%%), target %.1f%%",
                     estimate.errorRate * 100, estimate.lower * 100, estimate.upper * 100, estimate.target * 100))
        if project.config.task == .multi {
            try printPerLabel(plan: plan, labels: project.config.labels, target: routing.auditTargetErrorRate)
        }
        if estimate.upper <= estimate.target {
            print("the auto-accepted set is bounded below the target")
            return
        }
        if let more = estimate.moreAuditsNeeded {
            print("about \(more) more audits would bound it below the target if errors stay this rare")
        } else {
            // Two short lines: a terminal of 80 columns shows each whole.
            print(String(format: "at the observed rate (%.1f%%) more audits cannot bound it below %.1f%%;",
                         estimate.errorRate * 100, estimate.target * 100))
            print("the threshold has to go up")
        }
        // For sets the threshold is on the set's settledness and an error is a wrong whole set.
        guard let threshold = try plan.proposedThreshold(current: routing.autoAccept, target: routing.auditTargetErrorRate) else { return }
        let below = plan.itemsBelow(threshold: threshold).count
        print(String(format: "proposal: raise auto_accept from %.4g to %.4g; %d auto-accepted items below it go back to people",
                     routing.autoAccept, threshold, below))
        if apply {
            let requeued = try AuditRequeue(store: store, project: project).apply(threshold: threshold, plan: plan)
            print("applied: auto_accept = \(String(format: "%.4g", threshold)) in \(project.configURL.path); \(requeued) items re-queued")
        } else {
            print("run again with --apply to do it")
        }
    }

    /// A multi-label project's estimate per label, under the whole-set one.
    func printPerLabel(plan: AuditPlan, labels: LabelSet, target: Double) throws {
        guard let multi = try MultiLabelAuditEstimate(plan: plan, labels: labels, targetErrorRate: target) else { return }
        print("whole sets: an item is wrong when the auditor's set differs in any label")
        guard let first = multi.perLabel.first else {
            print("per label: no audited item has sets of this project's labels")
            return
        }
        print("per label, of \(first.estimate.audited) audited items (wrongly in the set, wrongly out of it):")
        // Names cut to 20 columns keep each line within 80.
        let names = multi.perLabel.map { TerminalSafeText.singleLine($0.label, limit: 20) }
        let width = names.map(\.count).max() ?? 0
        for (name, label) in zip(names, multi.perLabel) {
            let estimate = label.estimate
            let padded = name.padding(toLength: width, withPad: " ", startingAt: 0)
            print("  " + padded + String(format: "  %3d wrong: %d in, %d out  %5.1f%% (%.1f%% to %.1f%%)",
                                         estimate.errors, label.wronglyIn, label.wronglyOut, estimate.errorRate * 100,
                                         estimate.lower * 100, estimate.upper * 100))
        }
    }
}
