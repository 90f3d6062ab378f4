import AnnottyCore
import AnnottyLLM
import AnnottyTUI
import Foundation

/// The labeling loop as one component: a prediction arrives, is calibrated (by the store, as it
/// is saved) and shown; the person accepts or corrects it; the learning cycle retrains, refits,
/// routes and re-ranks; the queue changes and the screen follows. `annotty label`, `audit`,
/// `review` and `drive` each build one and call it.
///
/// Threads: the screen, its controller and this object live on the caller's thread (the UI
/// thread). The prefetcher's requests, the learning cycle and the status counts run on queues of
/// their own, and everything they produce comes back as events through `inbox`, the one queue
/// into the UI thread. Background work starts only after the first item is drawn.
public final class LabelingLoop {
    /// Where pre-labels come from.
    public enum Model {
        /// The project's `[llm]` settings (none when the provider is none).
        case project
        /// A session built by the caller (tests: a scripted scorer).
        case session(LLMSession)
        /// No model: label by hand, no prefetching.
        case none
    }

    public let project: Project
    public let store: any AnnotationStore
    public let inbox: Inbox
    public let session: LabelingSession
    public let prefetcher: Prefetcher?
    public let learning: LearningCycle?
    /// The cascade's stronger tier (stopped with the loop).
    let escalation: Escalation?
    /// Decisions committed through this loop's screen.
    public let record = DecisionRecord()
    let llmSession: LLMSession?
    private var backgroundStarted = false
    private var queueObservation: (any QueueObservation)?

    /// - Parameters:
    ///   - itemSource: items to show instead of the queue (audit, review); the learning cycle and
    ///     the prefetcher run only on the queue.
    ///   - learns: run the learning cycle (retrain, route, re-rank) behind the screen.
    ///   - clock: monotonic seconds for the prefetcher's plan.
    ///   - tickInterval: how often the prefetcher lets time pass; nil leaves it to `prefetcher.tick()`.
    ///   - learningSeedOffset: moves the learning cycle's seeds (`LearningCycle.seedOffset`).
    public init(project: Project, store: any AnnotationStore, annotator: String, guidelines: Guidelines?,
                mode: LabelingMode = .label, itemSource: (any LabelingItemSource)? = nil, model: Model = .project,
                learns: Bool = true, escalationSession: LLMSession? = nil, acceptHelp: String? = nil,
                clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime },
                tickInterval: Double? = 1, learningSeedOffset: UInt64 = 0) throws {
        self.project = project
        self.store = store
        let inbox = Inbox()
        self.inbox = inbox
        let onQueue = itemSource == nil && mode == .label
        var llm: LLMSession?
        if onQueue {
            switch model {
            case .project where project.config.llm.provider != .none:
                llm = LLMSession(settings: project.config.llm, labels: project.config.labels,
                                 guidelines: guidelines ?? Guidelines(markdown: "", labels: project.config.labels),
                                 store: store, taskName: project.config.name, task: project.config.task,
                                 projectFolder: project.folder)
            case .session(let given):
                llm = given
            case .project, .none:
                llm = nil
            }
        }
        llmSession = llm
        let prefetcher = llm.map { llm in
            let prefetcher = Prefetcher(session: llm, store: store, clock: clock, tickInterval: tickInterval)
            prefetcher.onPrediction = { inbox.post(.prediction($0)) }
            prefetcher.onStatus = { inbox.post(.llmStatus($0)) }
            return prefetcher
        }
        self.prefetcher = prefetcher
        var learningConfig = project.config
        if llm == nil { learningConfig.llm.provider = .none }
        // The cascade's stronger tier, asked from the learning cycle about what the cheap tiers are unsure of.
        let cascade = project.config.cascade
        let escalation: Escalation? = llm == nil || !learns || !cascade.isEnabled ? nil : Escalation(
            policy: EscalationPolicy(cheapModel: project.config.llm.model, escalateBelow: cascade.escalateBelow,
                                     limit: cascade.maxPerCycle, taperAfterLabels: cascade.taperAfterLabels,
                                     taperedLimit: cascade.taperedMaxPerCycle),
            session: escalationSession ?? LLMSession(
                settings: cascade.settings(over: project.config.llm), labels: project.config.labels,
                guidelines: guidelines ?? Guidelines(markdown: "", labels: project.config.labels),
                store: store, taskName: project.config.name, task: project.config.task, projectFolder: project.folder),
            store: store)
        self.escalation = escalation
        learning = onQueue && learns ? LearningCycle(config: learningConfig, store: store, inbox: inbox, escalation: escalation,
                                                     seedOffset: learningSeedOffset, onQueueChanged: { prefetcher?.queueChanged() }) : nil
        do {
            var session = try LabelingSession(project: project, store: store, annotator: annotator, guidelines: guidelines,
                                              inbox: inbox, mode: mode,
                                              observer: LoopObserver(prefetcher: prefetcher, learning: learning, record: record),
                                              itemSource: itemSource)
            // A fixed list (an audit sample, the disputes) is counted against its own length.
            if let listed = itemSource as? ListedItemSource { session.setup.listedItemCount = listed.count }
            session.setup.acceptHelp = acceptHelp
            self.session = session
        } catch let error as KeymapError {
            throw ConfigurationError(file: project.configURL.path, reason: String(describing: error))
        }
    }

    deinit {
        prefetcher?.stop()
        llmSession?.stop()
        escalation?.stop()
    }

    /// Runs the labeling screen on this terminal until the person quits.
    public func run() throws -> LabelingSummary {
        defer { stop() }
        return try session.run(afterFirstDraw: { startBackground() })
    }

    /// A controller on the given screen, for running the loop without a terminal (`drive`,
    /// tests). Call `start()` on it, draw, then `startBackground()`.
    public func makeController(screen: any Screen, clock: @escaping () -> TimeInterval = { ProcessInfo.processInfo.systemUptime },
                               countsQueue: DispatchQueue? = nil) -> LabelingController {
        LabelingController(session: session, screen: screen, clock: clock, countsQueue: countsQueue)
    }

    /// Starts the model and the first learning cycle: after the first item is drawn.
    public func startBackground() {
        guard !backgroundStarted else { return }
        backgroundStarted = true
        prefetcher?.start()
        learning?.requestCycle()
        let inbox = self.inbox
        // Where the store can announce other people's changes (PostgreSQL), an empty screen hears
        // of new work at once; where it cannot, or listening fails, the screen looks every 10 s.
        queueObservation = try? store.observeQueueChanges { inbox.post(.queueChangedElsewhere) }
    }

    /// Stops predicting and the local model server, if this loop started one.
    public func stop() {
        queueObservation?.stop()
        prefetcher?.stop()
        llmSession?.stop()
        escalation?.stop()
    }
}

/// A setting in annotty.toml that the screen cannot work with (clashing keys).
public struct ConfigurationError: Error, CustomStringConvertible {
    public var file: String
    public var reason: String

    public var description: String { "\(file): \(reason)" }
}
