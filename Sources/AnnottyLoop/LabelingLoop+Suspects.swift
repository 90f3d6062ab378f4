import AnnottyCore
import AnnottyTUI
import Foundation

extension LabelingLoop {
    /// People's labels that look wrong (`SuspectDecisions`), most suspect first, on the review
    /// screen: the given label as the people's votes, the suggested one as the pre-label (Enter
    /// takes it, a label's key picks any other). Each answer is an `adjudicate` decision by the
    /// reviewer, so it becomes the item's final label and the item is not flagged again.
    /// - Parameter found: suspects already found (tests, or a caller that counted them first);
    ///   nil finds them with the project's model opinions averaged in.
    public static func suspects(project: Project, store: any AnnotationStore, annotator: String, guidelines: Guidelines?,
                                found: SuspectDecisions? = nil) throws -> Opening {
        let config = project.config
        let found = try found ?? SuspectDecisions.find(store: store, labels: config.labels,
                                                       model: config.llm.model.isEmpty ? nil : config.llm.model)
        if let reason = found.notJudged { return .nothingToShow(reason) }
        guard !found.suspects.isEmpty else {
            return .nothingToShow("no likely label errors among \(found.judged) decisions")
        }
        let items = try found.reviewItems(store: store)
        guard !items.isEmpty else { return .nothingToShow("no likely label errors among \(found.judged) decisions") }
        let loop = try LabelingLoop(project: project, store: store, annotator: annotator, guidelines: guidelines,
                                    mode: .review, itemSource: ListedItemSource(items), model: .none,
                                    acceptHelp: Self.suspectAcceptHelp)
        return .ready(loop, items: items.count)
    }

    /// Enter's line in the help overlay while walking likely label errors.
    static let suspectAcceptHelp = "accept the suggested label (the likelier one)"
}
