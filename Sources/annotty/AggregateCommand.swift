import ArgumentParser
import AnnottyCore
import Foundation

struct AggregateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Combine several people's labels into one per item (majority vote or Dawid-Skene).",
        discussion: """
        The result is stored and appears in `annotty export` (jsonl: annotty.aggregates.METHOD
        with the label and per-label posteriors). Where items have gold answers, prints the
        accuracy and Cohen's kappa against them.

        Majority vote needs a tie rule: lowest (the first label in annotty.toml wins a tie),
        highest (the last), a label name, or random.
        Dawid-Skene: EM over per-annotator confusion matrices (at most 100 iterations, tolerance
        1e-5, started from majority vote, as crowd-kit 1.4.2); one-coin: one accuracy per person.
        """)

    @OptionGroup var project: ProjectOptions

    @Option(help: "majority, dawid-skene or one-coin.")
    var method: String = "dawid-skene"

    @Option(help: "For majority: lowest, highest, random or a label name.")
    var tieRule: String = "lowest"

    func run() throws {
        let project = try project.open()
        guard let chosen = AggregationRun.Method(rawValue: method) else {
            throw ValidationError("--method must be majority, dawid-skene or one-coin")
        }
        let labels = project.config.labels
        let rule: MajorityTieRule
        switch tieRule {
        case "lowest": rule = .lowestClass
        case "highest": rule = .highestClass
        case "random": rule = .random(seed: 1)
        default:
            guard let index = labels.index(of: tieRule) else {
                throw ValidationError("--tie-rule must be lowest, highest, random or one of \(labels.names.joined(separator: ", "))")
            }
            rule = .preferredClass(index)
        }
        let outcome = try AggregationRun(store: try project.openStore(), labels: labels).run(method: chosen, tieRule: rule)
        print("\(chosen.rawValue): \(outcome.items) items aggregated")
        if chosen == .majority { print("ties: \(outcome.tiedItems) items, broken by rule \(tieRule)") }
        if let priors = outcome.priors {
            print("class priors: " + zip(labels.names, priors).map { "\($0) \(String(format: "%.4f", $1))" }.joined(separator: "  "))
        }
        if let iterations = outcome.iterations { print("EM iterations: \(iterations)") }
        if let accuracy = outcome.accuracy {
            print(String(format: "against gold (%d items): accuracy %.4f, Cohen's kappa %.3f", outcome.scoredItems, accuracy,
                         outcome.kappa ?? .nan))
        }
        let counts = Dictionary(grouping: outcome.labels.compactMap(\.label), by: { $0 }).mapValues(\.count)
        print("labels: " + labels.names.map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: "  "))
    }
}
