import ArgumentParser
import AnnottyCore
import AnnottyPostgres
import AnnottyLoop

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Walk through items people disagree on and record the final label with one key.",
        discussion: """
        Shows each disputed item with the tally per label, who said what, and the LLM's \
        label. The suggested final label is the stored Dawid-Skene result (annotty \
        aggregate), else the majority; Enter accepts it, a label's key records another (it \
        becomes the item's final label in exports); s skips, u undoes. --close shows only \
        close votes.

        --suspects walks likely label errors instead: items whose label people gave looks \
        wrong to the task learner (trained out of fold, without the item's own label) and \
        the model's calibrated pre-label, most suspect first. The given label is shown as \
        the votes, the suggested one as the pre-label: Enter takes it, a label's key keeps \
        the given one or picks another; either way it becomes the item's final label. Needs \
        at least \(SuspectDecisions.minimumDecisions) items labelled by people.

        Examples:
          annotty review -p reviews
          annotty review --suspects -p reviews
        """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var annotator: AnnotatorOptions

    @Flag(help: "Only close votes: the two most given labels are at most one vote apart.")
    var close = false

    @Flag(help: "Walk likely label errors (confident learning) instead of disagreements.")
    var suspects = false

    func validate() throws {
        if close && suspects { throw ValidationError("--close is for disagreements; it does not go with --suspects") }
    }

    func run() throws {
        let project = try project.open()
        try project.config.requireTask(.single, command: "review")
        let store = try ProjectStore.open(project)
        if suspects {
            switch try LabelingLoop.suspects(project: project, store: store, annotator: annotator.name,
                                             guidelines: project.guidelinesOrWarn()) {
            case .nothingToShow(let reason):
                print(reason)
            case .ready(let loop, let count):
                let summary = try loop.run()
                print("\(summary.decisions) review decision(s) saved; \(max(0, count - summary.decisions)) likely label errors left.")
            }
            return
        }
        switch try LabelingLoop.review(project: project, store: store, annotator: annotator.name,
                                       guidelines: project.guidelinesOrWarn(), closeOnly: close) {
        case .nothingToShow(let reason):
            print(reason)
        case .ready(let loop, let disputed):
            let summary = try loop.run()
            print("\(summary.decisions) review decision(s) saved; \(max(0, disputed - summary.decisions)) disagreements left.")
        }
    }
}
