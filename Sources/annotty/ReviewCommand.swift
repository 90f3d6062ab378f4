import ArgumentParser
import AnnottyCore
import AnnottyTUI

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Walk through items people disagree on and record the final label with one key.",
        discussion: """
        Shows each disputed item with every person's label and the LLM's. A label's key records \
        the adjudicated label (it becomes the item's final label in exports); s skips, u undoes.
        """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var annotator: AnnotatorOptions

    func run() throws {
        let project = try project.open()
        let store = try project.openStore()
        let disputed = try Disagreements.find(store: store, labels: project.config.labels)
        guard !disputed.isEmpty else {
            print("no disagreements to review")
            return
        }
        let source = ListedItemSource(disputed)
        let session = try LabelingSession(project: project, store: store, annotator: annotator.name,
                                          guidelines: try? project.loadGuidelines(), mode: .review,
                                          itemSource: { limit, excluding in source.next(limit: limit, excluding: excluding) })
        let summary = try session.run()
        print("\(summary.decisions) review decision(s) saved; \(max(0, disputed.count - summary.decisions)) disagreements left.")
    }
}
