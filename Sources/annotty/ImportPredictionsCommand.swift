import AnnottyCore
import AnnottyPostgres
import AnnottyLLM
import ArgumentParser
import Foundation

struct ImportPredictionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-predictions",
        abstract: "Read pre-labels made elsewhere: an OpenAI Batch API output file, or multi-label probabilities.",
        discussion: """
        The file is the provider's output for a request file written by \
        `annotty prelabel --batch-out`: one JSON result per line, matched to items by custom_id. \
        Each answer is checked against the label set like a live one (an answer outside it is \
        recorded as invalid, never shown), its label probabilities are read from the token \
        log-probabilities (or the stated confidence, as configured), and it is cached under \
        the prompt it answered. Failed requests are recorded with their reason; run \
        `annotty prelabel` afterwards to retry them live.

        Multi-label projects (task = "multi") read each label's probability of being in the \
        item's set instead, one JSON object per line:
          {"id": "r17", "probabilities": {"joy": 0.91, "anger": 0.04, "sadness": 0.1}}

        id is the item's id as imported (a string or a number); every label of the project \
        needs a probability from 0 to 1 (they need not sum to 1); other keys are ignored. The \
        pre-label is the set of labels at 0.5 or more. They are stored as the --model's \
        predictions (default: the [llm] model), calibrated and routed like live ones, and \
        `annotty prelabel` does not ask again for those items. The whole file is checked \
        first: a bad line stops the import, naming the file and line, and nothing is stored. \
        Ids the project does not have are skipped and counted.

        Examples:
          annotty import-predictions batch_output.jsonl -p reviews
          annotty import-predictions probabilities.jsonl -p emotions --model roberta
        """)

    @OptionGroup var project: ProjectOptions

    @Argument(help: "The provider's batch output file (JSONL).")
    var file: String

    @Option(help: "Multiplies the configured token prices for the cost estimate (Batch API: half price).")
    var priceFactor: Double = 0.5

    @Option(help: "Multi-label: the model the probabilities are stored under (default: the [llm] model).")
    var model: String?

    func validate() throws {
        guard priceFactor >= 0 else { throw ValidationError("--price-factor must be 0 or more") }
    }

    func run() throws {
        let project = try project.open()
        try project.config.requireTask(.single, .multi, command: "import-predictions")
        let store = try ProjectStore.open(project)
        if project.config.task == .multi {
            try importMultiLabel(project: project, store: store)
            return
        }
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

    private func importMultiLabel(project: Project, store: any AnnotationStore) throws {
        let name = model ?? project.config.llm.model
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("no model name: pass --model NAME (or set model in [llm] of \(ProjectConfig.fileName))")
        }
        let summary = try MultiLabelPredictionFile.importPredictions(from: URL(fileURLWithPath: file), store: store,
                                                                     labels: project.config.labels, model: name)
        print("imported \(summary.imported) multi-label pre-labels as model \(TerminalSafeText.singleLine(name, limit: 80))")
        if summary.unknownItems > 0, let first = summary.firstUnknown {
            print("\(summary.unknownItems) lines name items this project does not have (skipped), the first "
                  + TerminalSafeText.singleLine(first, limit: 120))
        }
    }
}
