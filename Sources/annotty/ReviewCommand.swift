import ArgumentParser
import AnnottyCore
import AnnottyLoop

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Walk through items people disagree on and record the final label with one key.",
        discussion: """
        Shows each disputed item with every person's label and the LLM's. A label's key records
        the adjudicated label (it becomes the item's final label in exports); s skips, u undoes.
        """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var annotator: AnnotatorOptions

    func run() throws {
        let project = try project.open()
        let store = try project.openStore()
        switch try LabelingLoop.review(project: project, store: store, annotator: annotator.name,
                                       guidelines: project.guidelinesOrWarn()) {
        case .nothingToShow(let reason):
            print(reason)
        case .ready(let loop, let disputed):
            let summary = try loop.run()
            print("\(summary.decisions) review decision(s) saved; \(max(0, disputed - summary.decisions)) disagreements left.")
        }
    }
}
