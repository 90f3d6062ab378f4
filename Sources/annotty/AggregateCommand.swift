import ArgumentParser
import AnnottyCore
import AnnottyPostgres
import Foundation

struct AggregateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Combine several people's labels into one per item (majority vote or Dawid-Skene).",
        discussion: """
        The result is stored, and `annotty export` takes it as the final label (see \
        export --label-from); jsonl also keeps it under annotty.aggregates.METHOD with the \
        per-label posteriors. Where items have gold answers, prints the accuracy and Cohen's \
        kappa against them.

        Majority vote needs a tie rule: lowest (the first label in annotty.toml wins a tie), \
        highest (the last), a label name, or random.

        Dawid-Skene: EM over per-annotator confusion matrices (at most 100 iterations, \
        tolerance 1e-5, started from majority vote, as crowd-kit 1.4.2). One-coin: one \
        accuracy per person.

        Figures are rounded half away from zero (735/800 = 0.91875 prints as 0.9188).

        Multi-label projects (task = "multi"): each label is a yes/no question (leaving it out \
        of a set is a "no"), settled by majority vote or Dawid-Skene (a 2x2 confusion matrix, or \
        one accuracy, per person and label); the labels settled "in" make the item's set, stored \
        with each label's probability of being in. The tie rule applies per label: lowest (the \
        default) leaves a tied label out, highest puts it in, random picks. Against gold sets: \
        exact match, micro and macro F1.

        Entity-span projects (task = "spans"): span majority, the only method there: a span \
        (start, end and type) is kept when more than half of the item's annotators marked it; \
        --tie-rule highest also keeps one exactly half marked (lowest, the default, leaves it \
        out). Each person's latest set per item counts; the stored set is what export writes.
        """)

    @OptionGroup var project: ProjectOptions

    @Option(help: "majority, dawid-skene or one-coin (default dawid-skene; majority on a spans project).")
    var method: String?

    @Option(help: "For majority: lowest, highest, random or a label name.")
    var tieRule: String = "lowest"

    func validate() throws {
        guard AggregationRun.Method(rawValue: method ?? AggregationRun.Method.dawidSkene.rawValue) != nil else {
            throw ValidationError("--method must be one of " + AggregationRun.Method.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() throws {
        let project = try project.open()
        try project.config.requireTask(.single, .multi, .spans, command: "aggregate")
        if project.config.task == .spans { return try runSpans(project) }
        let chosen = AggregationRun.Method(rawValue: method ?? AggregationRun.Method.dawidSkene.rawValue)!
        let labels = project.config.labels
        if project.config.task == .multi { return try runMultiLabel(project, method: chosen) }
        let rule: MajorityTieRule
        switch tieRule {
        case "lowest": rule = .lowestClass
        case "highest": rule = .highestClass
        case "random": rule = .random(seed: 1)
        default:
            guard let index = labels.index(of: tieRule) else {
                throw CommandFailure("--tie-rule must be lowest, highest, random or one of \(labels.names.joined(separator: ", "))")
            }
            rule = .preferredClass(index)
        }
        let outcome = try AggregationRun(store: try ProjectStore.open(project), labels: labels).run(method: chosen, tieRule: rule)
        print("\(chosen.rawValue): \(outcome.items) items aggregated")
        if chosen == .majority { print("ties: \(outcome.tiedItems) items, broken by rule \(tieRule)") }
        if let priors = outcome.priors {
            print("class priors: " + zip(labels.names, priors).map { "\($0) \(DecimalFormat.fixed($1, places: 4))" }.joined(separator: "  "))
        }
        if let iterations = outcome.iterations { print("EM iterations: \(iterations)") }
        if let accuracy = outcome.accuracy {
            print("against gold (\(outcome.scoredItems) items): accuracy \(DecimalFormat.fixed(accuracy, places: 4)), "
                  + "Cohen's kappa \(outcome.kappa.map { DecimalFormat.fixed($0, places: 3) } ?? "—")")
        }
        let counts = Dictionary(grouping: outcome.labels.compactMap(\.label), by: { $0 }).mapValues(\.count)
        print("labels: " + labels.names.map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: "  "))
    }
}

extension AggregateCommand {
    /// A multi-label project: each label aggregated as a yes/no question into a set.
    func runMultiLabel(_ project: Project, method chosen: AggregationRun.Method) throws {
        let labels = project.config.labels
        let rule: MajorityTieRule
        switch tieRule {
        case "lowest": rule = .lowestClass
        case "highest": rule = .highestClass
        case "random": rule = .random(seed: 1)
        default:
            throw CommandFailure("--tie-rule on a multi-label project is lowest (a tied label is left out), "
                                 + "highest (put in) or random")
        }
        let outcome = try MultiLabelAggregationRun(store: try ProjectStore.open(project), labels: labels).run(method: chosen, tieRule: rule)
        print("\(chosen.rawValue), each label as a yes/no question: \(outcome.items) items aggregated into sets")
        if chosen == .majority { print("tied votes on a label: \(outcome.tiedItems), broken by rule \(tieRule)") }
        if let scores = outcome.scores {
            print("against gold (\(outcome.scoredItems) items): exact set \(DecimalFormat.fixed(scores.subsetAccuracy, places: 4)), "
                  + "micro F1 \(DecimalFormat.fixed(scores.microF1, places: 4)), macro F1 \(DecimalFormat.fixed(scores.macroF1, places: 4))")
        }
        print("sets holding each label: " + zip(labels.names, outcome.labelCounts).map { "\($0) \($1)" }.joined(separator: "  ")
              + "  (empty sets: \(outcome.emptySets))")
    }
}

extension AggregateCommand {
    /// A spans project: span majority into each item's stored set.
    func runSpans(_ project: Project) throws {
        if let method, method != AggregationRun.Method.majority.rawValue {
            throw CommandFailure("--method \(method) aggregates labels; a spans project is aggregated by span majority "
                                 + "(--method majority, the default there)")
        }
        guard tieRule == "lowest" || tieRule == "highest" else {
            throw CommandFailure("--tie-rule on a spans project is lowest (a span exactly half the annotators marked is left out) or highest (kept)")
        }
        let outcome = try SpanAggregationRun(store: try project.openStore(command: "aggregate on entity spans")).run(keepingTies: tieRule == "highest")
        print("span majority: \(outcome.items) items aggregated (\(outcome.singleAnnotatorItems) with one annotator, whose set is kept)")
        print("spans kept: \(outcome.keptSpans); left out: \(outcome.droppedSpans); marked by exactly half: \(outcome.tiedSpans) "
              + (tieRule == "highest" ? "(kept, --tie-rule highest)" : "(left out; --tie-rule highest keeps them)"))
        if let score = outcome.againstGold {
            print("against gold (\(outcome.scoredItems) items): entity F1 \(DecimalFormat.fixed(score.f1, places: 4)), "
                  + "precision \(DecimalFormat.fixed(score.precision, places: 4)), recall \(DecimalFormat.fixed(score.recall, places: 4))")
        }
        print("export takes these sets as the final ones (label_from aggregate-majority) unless an item is adjudicated")
    }
}
