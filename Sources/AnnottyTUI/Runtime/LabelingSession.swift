import Foundation
import AnnottyCore

/// Everything the labeling screen needs: the store, what to show, and the work behind it. With
/// no observer the pre-label area says that no prediction is available and labeling by hand works.
public struct LabelingSession: Sendable {
    public var store: any AnnotationStore
    public var setup: LabelingSetup
    /// How long a claimed item stays reserved for this annotator.
    public var leaseSeconds: Int
    /// Background work posts predictions, LLM status and re-rank notices here.
    public var inbox: Inbox
    /// Hears the items coming up and every committed decision (the labeling loop).
    public var observer: (any LabelingObserver)?
    /// Where items come from instead of the store's queue; nil claims from the queue.
    public var itemSource: (any LabelingItemSource)?

    public init(store: any AnnotationStore, setup: LabelingSetup, leaseSeconds: Int = 600, inbox: Inbox = Inbox(),
                observer: (any LabelingObserver)? = nil, itemSource: (any LabelingItemSource)? = nil) {
        self.store = store
        self.setup = setup
        self.leaseSeconds = leaseSeconds
        self.inbox = inbox
        self.observer = observer
        self.itemSource = itemSource
    }

    /// A session on a project: its labels, `[keys]`, guidelines and lease time.
    /// Throws `KeymapError` when the configured keys clash.
    public init(project: Project, store: any AnnotationStore, annotator: String, guidelines: Guidelines? = nil,
                inbox: Inbox = Inbox(), lookahead: Int? = nil, mode: LabelingMode = .label,
                observer: (any LabelingObserver)? = nil, itemSource: (any LabelingItemSource)? = nil) throws {
        let config = project.config
        let keymap = try Keymap(labels: config.labels, overrides: config.keys)
        let setup = LabelingSetup(projectName: config.name, annotator: annotator, labels: config.labels, keymap: keymap,
                                  guidelines: guidelines, textFieldName: config.textField,
                                  lookahead: lookahead ?? max(4, config.llm.prefetchAhead), mode: mode,
                                  task: config.task, allowEmptySet: config.allowEmptySet)
        self.init(store: store, setup: setup, leaseSeconds: config.annotation.leaseSeconds, inbox: inbox,
                  observer: observer, itemSource: itemSource)
    }
}
