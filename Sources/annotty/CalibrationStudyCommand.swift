import ArgumentParser
import AnnottyCore
import Foundation

struct CalibrationStudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibration-study",
        abstract: "Calibration and routing of recorded predictions against gold labels.",
        discussion: """
        Reads prediction files with gold labels (scripts/record-model-predictions.sh writes them \
        from the local model) and prints, for each: accuracy, ECE before and after calibration \
        (10 and 15 equal-width bins, (lo,hi] edges, calibrated figures cross-fitted over 5 folds), \
        and a routing simulation: a person labels the queue in batches of 10 with the gold label \
        while the router refits and auto-accepts what it trusts.
        """,
        shouldDisplay: false)

    @Argument(help: "Prediction files (JSONL with id, gold, probabilities).")
    var files: [String]

    @Option(help: "Verified outcomes before any auto-accept.")
    var minVerified: Int = 50

    @Option(help: "The accuracy floor below which nothing is auto-accepted.")
    var accuracyFloor: Double = 0.9

    func validate() throws {
        guard minVerified >= 0 else { throw ValidationError("--min-verified must be 0 or more") }
        guard (0...1).contains(accuracyFloor) else { throw ValidationError("--accuracy-floor must be between 0 and 1") }
    }

    func run() throws {
        var settings = RoutingSettings()
        settings.minVerifiedOutcomes = minVerified
        settings.accuracyFloor = accuracyFloor
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-study-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for file in files {
            let fixture = try PredictionFixture(path: file)
            let report = try CalibrationReport(outcomes: fixture.outcomes(model: file))
            print("== \(file): \(fixture.cases.count) predictions, labels \(fixture.labels.names.joined(separator: ", "))")
            print(report.render())
            let result = try RoutingSimulation(labels: fixture.labels, settings: settings, batchSize: 10).run(fixture.cases, in: scratch)
            print(String(format: "routing simulation: %d labelled by people, %d auto-accepted (%d wrong), %d while below the floor; "
                         + "final accuracy %.3f; measured model accuracy at the end %.3f", result.humanLabels, result.autoAccepted,
                         result.autoAcceptedWrong, result.autoAcceptedBelowFloor, result.finalAccuracy,
                         result.measuredAccuracy.last ?? 0))
            print("")
        }
    }
}
