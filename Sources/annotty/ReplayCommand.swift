import ArgumentParser
import AnnottyCore
import AnnottyLoop
import Foundation

/// `annotty replay`: the real labeling loop run end to end over items with gold labels.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay the whole labeling loop over items with gold labels and report the work it saves.",
        discussion: """
        Builds a throwaway project, pre-labels every item with a model's recorded answers through \
        the real predictor, then works the real labeling screen as a simulated person who answers \
        the gold label (or a wrong one at --annotator-error): the task learner, calibration, the \
        opinion combiner, routing with auto-accepts and re-ranking all run as in `annotty label`. \
        It prints, as labeling goes, how many items people and the router decided and how right \
        each opinion is on the open items; at the end, the human decisions saved, the final \
        accuracy against gold next to all-human labeling, and what an oracle could have saved.

        Items: JSON Lines with an "id" and a "text" (and a gold label in --gold-field, else the \
        recording's). Predictions: the fixture format, {"id", "gold", "probabilities"} per line \
        (scripts/record-model-predictions.sh); only recorded items are replayed.

        Examples:
          annotty replay sample-data/reviews.jsonl \\
            --predictions ../shared/datasets/recorded/qwen2.5-coder-1.5b-reviews.jsonl
          scripts/trec-items.sh > /tmp/trec-items.jsonl
          r=../shared/datasets/recorded/qwen2.5-coder-1.5b-trec
          annotty replay /tmp/trec-items.jsonl \\
            --predictions $r-train1000.jsonl --predictions $r-test250.jsonl
        """
    )

    @Argument(help: ArgumentHelp("Items as JSON Lines, each with an id and a text.", valueName: "items.jsonl"))
    var items: String

    @Option(name: .customLong("predictions"), help: ArgumentHelp("Recorded predictions (repeat for several files of one model).",
                                                                 valueName: "file"))
    var predictionFiles: [String] = []

    @Option(help: ArgumentHelp("The model's name in the report.", valueName: "name"))
    var model: String = "recorded"

    @Option(help: ArgumentHelp("What one model call costs, in dollars.", valueName: "usd"))
    var pricePerCall: Double = 0

    @Option(name: .customLong("cheap-predictions"),
            help: ArgumentHelp("A cheaper tier's recorded predictions (repeat for several files): a cascade, where it pre-labels every item and the --predictions tier is asked only about what it and the task learner are unsure of.",
                               valueName: "file"))
    var cheapPredictionFiles: [String] = []

    @Option(help: ArgumentHelp("The cheaper tier's name in the report.", valueName: "name"))
    var cheapModel: String = "cheap"

    @Option(help: ArgumentHelp("What one call to the cheaper tier costs, in dollars.", valueName: "usd"))
    var cheapPricePerCall: Double = 0

    @Option(help: ArgumentHelp("[cascade] escalate_below: ask the stronger tier while the pooled confidence is below this.",
                               valueName: "confidence"))
    var escalateBelow: Double = 0.9

    @Option(help: "[cascade] max_per_cycle: the most items sent to the stronger tier per learning cycle.")
    var escalationsPerCycle: Int = 10

    @Option(help: ArgumentHelp("[cascade] taper_after_labels: from this many people's labels on, ask the stronger tier "
                               + "--tapered-escalations-per-cycle instead (0: never).", valueName: "labels"))
    var taperAfterLabels: Int = 0

    @Option(help: "[cascade] tapered_max_per_cycle: the most per learning cycle once tapered.")
    var taperedEscalationsPerCycle: Int = 2

    @Option(help: ArgumentHelp("The items' text field.", valueName: "name"))
    var textField: String = "text"

    @Option(help: ArgumentHelp("The items' gold-label field (else the recording's gold).", valueName: "name"))
    var goldField: String = "gold"

    @Option(help: ArgumentHelp("auto_accept_error_budget for the router: the share of items auto-accepting may get wrong, or \"none\".",
                               valueName: "share"))
    var errorBudget: String = "0.02"

    @Option(help: ArgumentHelp("auto_accept_target_error for the router, used with --error-budget none.", valueName: "rate"))
    var targetError: Double?

    @Option(help: "Retrain, refit and route every this many decisions (rerank_every).")
    var rerankEvery: Int = 5

    @Option(help: ArgumentHelp("Chance that the simulated person answers wrongly (0 to 1).", valueName: "rate"))
    var annotatorError: Double = 0

    @Option(help: ArgumentHelp("Share of the auto-accepted items the simulated person audits as labeling goes (0 to 1; each audit is a human decision).", valueName: "share"))
    var auditRate: Double = 0

    @Option(help: ArgumentHelp("The person's seconds per decision, for the hours reported.", valueName: "seconds"))
    var secondsPerItem: Double = 10

    @Option(help: "Print a curve row every this many human decisions.")
    var curveEvery: Int = 50

    @Option(help: "Seed for the simulated person's mistakes and the path (the salt of the learner's folds, the queue's random share): another seed shows how much of a replay is chance.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Keep the replayed project in this folder (a new or empty one), for `annotty stats`, `plan`, `export` or `browse -p DIR` (default: a temporary one, removed).", valueName: "dir"))
    var keep: String?

    @Option(help: ArgumentHelp("Keep in this folder (a new or empty one) a copy of the project as it was when the halfway forecast was made: `annotty plan -p DIR` on it makes that forecast again, in seconds.", valueName: "dir"))
    var keepHalfway: String?

    func validate() throws {
        if predictionFiles.isEmpty { throw ValidationError("name the recorded predictions with --predictions FILE") }
        if errorBudget != "none", Double(errorBudget).map({ !(0...0.5).contains($0) }) ?? true {
            throw ValidationError("--error-budget must be a share from 0 to 0.5, or none")
        }
        if let targetError, !(0...0.5).contains(targetError) { throw ValidationError("--target-error must be from 0 to 0.5") }
        if !(0...1).contains(annotatorError) { throw ValidationError("--annotator-error must be from 0 to 1") }
        if !(0...1).contains(auditRate) { throw ValidationError("--audit-rate must be from 0 to 1") }
        if rerankEvery < 1 { throw ValidationError("--rerank-every must be at least 1") }
        if curveEvery < 1 { throw ValidationError("--curve-every must be at least 1") }
        if secondsPerItem <= 0 { throw ValidationError("--seconds-per-item must be more than 0") }
        if pricePerCall < 0 || cheapPricePerCall < 0 { throw ValidationError("a price per call cannot be negative") }
        if !(0...1).contains(escalateBelow) { throw ValidationError("--escalate-below must be from 0 to 1") }
        if escalationsPerCycle < 1 { throw ValidationError("--escalations-per-cycle must be at least 1") }
        if taperAfterLabels < 0 || taperedEscalationsPerCycle < 0 {
            throw ValidationError("--taper-after-labels and --tapered-escalations-per-cycle cannot be negative")
        }
        if !cheapPredictionFiles.isEmpty, cheapModel == model {
            throw ValidationError("the two tiers need different names (--cheap-model and --model)")
        }
    }

    func run() throws {
        var tiers = [ReplayInput.TierFiles(name: model, paths: predictionFiles, pricePerCall: pricePerCall)]
        if !cheapPredictionFiles.isEmpty {
            tiers.insert(ReplayInput.TierFiles(name: cheapModel, paths: cheapPredictionFiles, pricePerCall: cheapPricePerCall), at: 0)
        }
        let input = try ReplayInput.load(itemsPath: items, tiers: tiers, textField: textField, goldField: goldField)
        var settings = LoopReplay.Settings()
        settings.errorBudget = errorBudget == "none" ? nil : Double(errorBudget)
        settings.targetError = targetError
        settings.rerankEvery = rerankEvery
        settings.annotatorErrorRate = annotatorError
        settings.auditRate = auditRate
        settings.secondsPerItem = secondsPerItem
        settings.curveEvery = curveEvery
        settings.seed = seed
        settings.escalateBelow = escalateBelow
        settings.taperAfterLabels = taperAfterLabels
        settings.taperedEscalationsPerCycle = taperedEscalationsPerCycle
        settings.escalationsPerCycle = escalationsPerCycle
        settings.halfwayFolder = keepHalfway.map { URL(fileURLWithPath: $0) }
        let folder = keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("annotty-replay-\(UUID().uuidString)")
        try LoopReplay.checkFolders(folder, halfway: settings.halfwayFolder)
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        print("replaying \(input.items.count) items (\(input.unrecorded) without a recorded prediction in every tier left out), "
              + "labels: \(input.labels.names.joined(separator: ", "))")
        print(ReplayReportText.curveHeader)
        let report = try LoopReplay.run(items: input.items, labels: input.labels, tiers: input.tiers, settings: settings,
                                        folder: folder) { point in
            print(ReplayReportText.curveRow(point))
            fflush(nil)  // all output streams: the rows show as they come when piped
        }
        print("")
        print(ReplayReportText.summary(report, margin: settings.oracleMargin))
    }
}
