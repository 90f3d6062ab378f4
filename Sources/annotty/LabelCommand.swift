import ArgumentParser
import AnnottyCore
import AnnottyPostgres
import AnnottyLoop
import Foundation

struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Open the labeling screen and work through the queue.",
        discussion: """
        Shows one item at a time with its pre-label (when a model has predicted \
        one), its confidence and where it came from. Enter or Space accepts the \
        pre-label, a label's key (1-9, then letters) gives that label, s skips, \
        u undoes (repeat to go further back), f flags with an optional note, \
        g shows the guidelines, ? lists every key, q quits. Every decision is \
        saved before the next item appears, so quitting or losing the \
        connection loses nothing. Keys can be changed under [keys] in \
        annotty.toml.

        On a multi-label project (task = "multi") each item gets a set of labels: \
        a label's key ticks or unticks it, Enter saves the ticked set (the \
        pre-label's set starts ticked; an empty set only where allow_empty_set \
        is true), and u first reverts the last toggle on the item on screen, \
        then undoes the last decision with its set ticked again.

        On an entity-spans project (task = "spans") the text shows each span:         [text]TYPE accepted or made by you, {text}TYPE proposed by the         pre-label. Left/Right move a word cursor, > extends it, a type's key         marks the selected words (or retypes the selected span); Tab selects         the next span, y accepts a proposal, x rejects or deletes it, A         accepts all; u undoes span edits one by one, then decisions. Enter         saves every span shown as the item's answer (an accept when it is         exactly the pre-label's set).

        Examples:
          annotty label reviews
          annotty label -p reviews --annotator alice
        """)

    @Argument(help: "The project folder (holding annotty.toml); the same as --project.")
    var projectFolder: String?

    @OptionGroup var project: ProjectOptions
    @OptionGroup var annotator: AnnotatorOptions

    func run() throws {
        let folder = projectFolder.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? project.folder
        let project = try Project.open(folder)
        try project.config.requireTask(.single, .multi, .spans, command: "label")
        let store = try ProjectStore.open(project)
        let loop = try LabelingLoop.labeling(project: project, store: store, annotator: annotator.name,
                                             guidelines: project.guidelinesOrWarn())
        let summary = try loop.run()
        print("\(summary.decisions) decision(s) saved in \(ProjectStore.describe(project)) by \(TerminalSafeText.singleLine(annotator.name, limit: 80)).")
    }
}
