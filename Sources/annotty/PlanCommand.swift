import ArgumentParser
import AnnottyCore
import AnnottyPostgres
import Foundation

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Forecast what labelling the open items takes: people, auto-accepts, cost, final accuracy.",
        discussion: """
        From the model's verified outcomes (and audits) under its current calibration and the \
        open items' pre-labels, sets the auto-accept threshold a routing pass would set for \
        auto_accept_target_error (2% unless [routing] says otherwise) and forecasts how many \
        open items go to people and how many are auto-accepted, what that costs, and the \
        expected accuracy of the final labels with a 95% interval. With --budget, when the \
        budget cannot pay for the people the target needs, it lowers the threshold until they \
        fit and says the target is no longer met.

        Prices come from [costs] in annotty.toml (human_per_item, llm_per_item) or the flags. \
        Without llm_per_item, a pre-label costs the mean cost per call recorded so far. Only \
        open items without a pre-label are charged one (what was spent is spent); they are \
        forecast like the open items that have one. Needs pre-labels: run `annotty prelabel` first.

        Examples:
          annotty plan -p reviews
          annotty plan --budget 5000 --human-cost 0.10 --model-cost 0.005 -p reviews
          annotty plan --budget 5000 -p reviews --json
        """)

    @OptionGroup var project: ProjectOptions

    @Option(help: ArgumentHelp("USD available for labelling the open items from here.", valueName: "USD"))
    var budget: Double?

    @Option(help: ArgumentHelp("USD per person's label (overrides human_per_item in [costs]).", valueName: "USD"))
    var humanCost: Double?

    @Option(help: ArgumentHelp("USD per pre-label (overrides llm_per_item in [costs]).", valueName: "USD"))
    var modelCost: Double?

    @Flag(help: "Print the plan as one JSON object.")
    var json = false

    func validate() throws {
        for (name, value) in [("--budget", budget), ("--human-cost", humanCost), ("--model-cost", modelCost)] {
            if let value, !(value.isFinite && value >= 0) { throw ValidationError("\(name) must be a number of dollars, 0 or more") }
        }
    }

    func run() throws {
        let project = try project.open()
        try project.config.requireTask(.single, command: "plan")
        let store = try ProjectStore.open(project, access: .readOnly)
        let prices = try BudgetPlan.Prices.from(config: project.config, store: store, humanCost: humanCost, modelCost: modelCost)
        let plan: BudgetPlan
        do {
            plan = try BudgetPlan.make(store: store, config: project.config, budget: budget, prices: prices)
        } catch let error as BudgetPlan.PlanError {
            throw CommandFailure(error.description)
        }
        print(json ? plan.json(projectName: project.config.name) : plan.render(projectName: project.config.name),
              terminator: json ? "\n" : "")
    }
}
