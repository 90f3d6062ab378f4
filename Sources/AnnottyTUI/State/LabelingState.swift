import Foundation
import AnnottyCore

/// An item decided in this session, kept so that undo can put it back on screen at once.
public struct DoneItem: Sendable, Equatable {
    public var item: QueuedItem
    public var decision: Decision
}

/// The whole state of the labeling screen, as a value. Only `LabelingReducer` changes it.
public struct LabelingState: Sendable, Equatable {
    public let setup: LabelingSetup
    public var size: ScreenSize
    public var capabilities: TerminalCapabilities
    /// Monotonic time of the latest event, for the items-per-hour figure.
    public var clock: TimeInterval = 0

    public var current: QueuedItem?
    /// When `current` was first drawn, for `time_spent_ms`.
    public var currentShownAt: TimeInterval = 0
    public var upcoming: [QueuedItem] = []
    public var claimInFlight = false
    public var lastClaimAt: TimeInterval = 0
    /// The last claim found fewer items than asked for.
    public var queueExhausted = false
    /// A decision the database could not take because it was unreachable: kept on screen and
    /// sent again, the same decision, until it is saved; no other decision is made meanwhile.
    public var unsavedDecision: Decision?
    public var lastSaveAttemptAt: TimeInterval = 0
    public static let saveRetryInterval: TimeInterval = 2
    public var itemScroll = 0
    public var overlay: Overlay?
    public var history: [DoneItem] = []
    public var counters = SessionCounters()
    /// When the status counts were last asked for; they are re-read at most every
    /// `countsInterval` seconds, since on a large project that takes a while.
    public var countsRequestedAt: TimeInterval?
    public static let countsInterval: TimeInterval = 30
    public var throughput = ThroughputMeter()
    public var llmStatus: LLMStatus = .off
    /// The task learner's top label per item, from the latest re-rank: a pre-label from the LLM
    /// that the learner agrees with is shown as from both.
    public var learnerLabels: [Int64: String] = [:]
    public var message: StatusMessage?
    /// The item whose pre-label the annotator rejected (the reject key, Prodigy's x): its
    /// pre-label is struck out and cannot be accepted; a label key decides the item.
    public var rejectedPrelabelItemId: Int64?
    /// Multi-label: the labels ticked on the item on screen, committed by Enter.
    public var selection = LabelSelection()
    /// Entity spans: the spans of the item on screen as the person edits them.
    public var spanEditor = SpanEditor()
    public var isFinished = false

    /// How many decided items undo can bring back without asking the store.
    public static let historyLimit = 200

    public init(setup: LabelingSetup, size: ScreenSize, capabilities: TerminalCapabilities) {
        self.setup = setup
        self.size = size
        self.capabilities = capabilities
    }

    /// The pre-label on screen: a valid prediction whose label is an answer of the project's
    /// task (one of its labels, or a set of them).
    public var shownPrelabel: Prediction? {
        guard let prediction = current?.prediction, prediction.isValid, let label = prediction.shownLabel,
              setup.task.accepts(label: label, labels: setup.labels) else { return nil }
        return prediction
    }

    /// Multi-label: the pre-label's set as label indices (nil without a pre-label).
    public var shownPrelabelSet: Set<Int>? {
        shownPrelabel?.shownSet(over: setup.labels)?.indices(in: setup.labels)
    }

    /// Multi-label: the labels ticked on the item on screen.
    public var selectedIndices: Set<Int> {
        guard let id = current?.item.id, selection.itemId == id else { return [] }
        return selection.chosen
    }

    /// Entity spans: the editor of the item on screen (an empty one when it belongs to another).
    public var currentSpans: SpanEditor? {
        guard let id = current?.item.id, spanEditor.itemId == id else { return nil }
        return spanEditor
    }

    /// The pre-label of the item on screen was rejected and waits for the right label.
    public var prelabelRejected: Bool {
        guard let id = current?.item.id else { return false }
        return rejectedPrelabelItemId == id
    }

    /// The ids on screen and next in line, in order.
    public var visibleAndUpcomingIds: [Int64] {
        (current.map { [$0.item.id] } ?? []) + upcoming.map(\.item.id)
    }
}
