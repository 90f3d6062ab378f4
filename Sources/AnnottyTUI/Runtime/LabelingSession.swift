import Foundation
import AnnottyCore

/// Everything `annotty label` needs to run the labeling screen, and the hooks by which the
/// executable wires background work to it. With no hooks set, the pre-label area says that no
/// prediction is available and labeling by hand works.
public struct LabelingSession: Sendable {
    public var store: any AnnotationStore
    public var setup: LabelingSetup
    /// How long a claimed item stays reserved for this annotator.
    public var leaseSeconds: Int
    /// Background work posts predictions, LLM status and re-rank notices here.
    public var inbox: Inbox
    /// Called on the UI thread, after drawing, with the ids on screen and next in line (in
    /// order), whenever they change, so that the prefetcher predicts those first. Return quickly.
    public var onUpcomingItems: (@Sendable ([Int64]) -> Void)?
    /// Called on the UI thread, after drawing, with every committed decision; an undo arrives as
    /// a `.undo` decision (id 0) naming the undone decision in `undoesDecisionId`. Return quickly.
    public var onDecision: (@Sendable (Decision) -> Void)?
    /// Where items come from instead of the queue (audit samples, disagreements to review):
    /// called with (limit, ids to leave out); nil claims from the store's queue.
    public var itemSource: (@Sendable (Int, Set<Int64>) throws -> [QueuedItem])?

    public init(store: any AnnotationStore, setup: LabelingSetup, leaseSeconds: Int = 600, inbox: Inbox = Inbox(),
                onUpcomingItems: (@Sendable ([Int64]) -> Void)? = nil, onDecision: (@Sendable (Decision) -> Void)? = nil,
                itemSource: (@Sendable (Int, Set<Int64>) throws -> [QueuedItem])? = nil) {
        self.store = store
        self.setup = setup
        self.leaseSeconds = leaseSeconds
        self.inbox = inbox
        self.onUpcomingItems = onUpcomingItems
        self.onDecision = onDecision
        self.itemSource = itemSource
    }

    /// A session on a project: its labels, `[keys]`, guidelines and lease time.
    /// Throws `KeymapError` when the configured keys clash.
    public init(project: Project, store: any AnnotationStore, annotator: String, guidelines: Guidelines? = nil,
                inbox: Inbox = Inbox(), lookahead: Int? = nil, mode: LabelingMode = .label,
                onUpcomingItems: (@Sendable ([Int64]) -> Void)? = nil, onDecision: (@Sendable (Decision) -> Void)? = nil,
                itemSource: (@Sendable (Int, Set<Int64>) throws -> [QueuedItem])? = nil) throws {
        let config = project.config
        let keymap = try Keymap(labels: config.labels, overrides: config.keys)
        let setup = LabelingSetup(projectName: config.name, annotator: annotator, labels: config.labels, keymap: keymap,
                                  guidelines: guidelines, textFieldName: config.textField,
                                  lookahead: lookahead ?? max(4, config.llm.prefetchAhead), mode: mode)
        self.init(store: store, setup: setup, leaseSeconds: config.annotation.leaseSeconds, inbox: inbox,
                  onUpcomingItems: onUpcomingItems, onDecision: onDecision, itemSource: itemSource)
    }
}
