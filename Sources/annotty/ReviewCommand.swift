import ArgumentParser
import AnnottyCore
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
        """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var annotator: AnnotatorOptions

    @Flag(help: "Only close votes: the two most given labels are at most one vote apart.")
    var close = false

    func run() throws {
        let project = try project.open()
        let store = try project.openStore()
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
