import ArgumentParser
import AnnottyCore
import AnnottyPostgres
import AnnottyTUI

extension BrowseFilter.ItemState: ExpressibleByArgument {}
extension BrowseFilter.DecidedBy: ExpressibleByArgument {}

struct BrowseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse",
        abstract: "List the project's items with filters, open one, relabel it.",
        discussion: """
        Lists every item matching the filters with its final label, who decided it, the \
        latest prediction's confidence and a mark when it is flagged. Up and Down move, \
        Enter opens an item (its text, votes, prediction and every flag with its note), a \
        label's key relabels the open item (recorded as an ordinary decision by \
        --annotator), Esc goes back, / searches the text, F shows only flagged items, ? \
        lists every key, q quits.

        Examples:
          annotty browse -p reviews --state open --search blender
          annotty browse -p reviews --flagged
          annotty browse -p reviews --decided-by auto --max-confidence 0.9
        """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var annotator: AnnotatorOptions

    @Option(help: "Only items in this state: open or closed.")
    var state: BrowseFilter.ItemState?

    @Option(help: "Only items whose final label is this.")
    var label: String?

    @Option(help: "Only items whose final label was decided by: person, auto or review.")
    var decidedBy: BrowseFilter.DecidedBy?

    @Option(help: "Only items this annotator has a decision on.")
    var annotatedBy: String?

    @Option(help: "Only items whose latest prediction has at least this confidence (0-1).")
    var minConfidence: Double?

    @Option(help: "Only items whose latest prediction has at most this confidence (0-1).")
    var maxConfidence: Double?

    @Flag(help: "Only flagged items (their notes show when one is opened).")
    var flagged = false

    @Flag(help: "Only items people gave different labels.")
    var disagreement = false

    @Option(help: "Only items whose text, fields or id contain this text.")
    var search: String?

    func validate() throws {
        for (name, value) in [("--min-confidence", minConfidence), ("--max-confidence", maxConfidence)] {
            if let value, !(0...1).contains(value) { throw ValidationError("\(name) must be between 0 and 1, not \(value)") }
        }
    }

    func run() throws {
        let project = try project.open()
        if let label, !project.config.labels.contains(label) {
            throw ValidationError("--label \(label) is not one of the labels: \(project.config.labels.names.joined(separator: ", "))")
        }
        let store = try ProjectStore.open(project)
        let filter = BrowseFilter(state: state, label: label, decidedBy: decidedBy, annotator: annotatedBy,
                                  minimumConfidence: minConfidence, maximumConfidence: maxConfidence, flaggedOnly: flagged,
                                  disagreementOnly: disagreement, search: search)
        let session: BrowseSession
        do {
            session = try BrowseSession(project: project, store: store, annotator: annotator.name, filter: filter)
        } catch let error as KeymapError {
            throw ValidationError("\(project.configURL.path): \(error)")
        }
        let relabels = try session.run()
        print("\(relabels) relabel(s) saved in \(ProjectStore.describe(project)) by \(annotator.name).")
    }
}
