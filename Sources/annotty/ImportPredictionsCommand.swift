import AnnottyCore
import AnnottyLLM
import ArgumentParser
import Foundation

struct ImportPredictionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-predictions",
        abstract: "Read an OpenAI Batch API output file back as pre-labels.",
        discussion: """
        The file is the provider's output for a request file written by \
        `annotty prelabel --batch-out`: one JSON result per line, matched to items by custom_id. \
        Each answer is checked against the label set like a live one (an answer outside it is \
        recorded as invalid, never shown), its label probabilities are read from the token \
        log-probabilities (or the stated confidence, as configured), and it is cached under \
        the prompt it answered. Failed requests are recorded with their reason; run \
        `annotty prelabel` afterwards to retry them live.

        Example:
          annotty import-predictions batch_output.jsonl -p reviews
        """)

    @OptionGroup var project: ProjectOptions

    @Argument(help: "The provider's batch output file (JSONL).")
    var file: String

    @Option(help: "Multiplies the configured token prices for the cost estimate (Batch API: half price).")
    var priceFactor: Double = 0.5

    func validate() throws {
        guard priceFactor >= 0 else { throw ValidationError("--price-factor must be 0 or more") }
    }

    func run() throws {
        let project = try project.open()
        try project.config.requireTask(.single, command: "import-predictions")
        let store = try project.openStore()
        let settings = project.config.llm
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(settings: settings, baseURL: settings.baseURL.isEmpty
                                                                    ? LLMSession.openAIBaseURL : settings.baseURL))
        let scorer: any LabelScorer
        do { scorer = try BatchFiles.scorer(settings: settings, client: client) } catch { throw ValidationError(error.description) }
        let predictor = LLMPredictor(store: store, labels: project.config.labels, guidelines: try project.loadGuidelines(),
                                     settings: settings, scorer: scorer, taskName: project.config.name)
        let summary = try BatchFiles.importResults(from: URL(fileURLWithPath: file), predictor: predictor, priceFactor: priceFactor)
        print("imported \(summary.answered + summary.invalid + summary.failed) results: \(summary.answered) pre-labels, "
              + "\(summary.invalid) invalid answers, \(summary.failed) failed requests")
        if summary.unknownItems > 0 { print("\(summary.unknownItems) results name items this project does not have (skipped)") }
        if summary.malformedLines > 0 { print("\(summary.malformedLines) lines are not batch results (skipped)") }
        print(String(format: "estimated cost $%.4f", summary.costUSD))
    }
}
