import AnnottyCore
import AnnottyTUI
import Foundation

/// A person simulated at the keyboard, for load and concurrency tests (`annotty drive`): the
/// loop's real screen logic on a memory screen, with keys pressed as a person would.
public struct ScriptedAnnotator: Sendable {
    /// On a multi-label project each answer is a set: the label keys that turn the ticked set
    /// into it, then Enter.
    public enum Answer: String, Sendable, CaseIterable {
        /// A random label (seeded); multi-label: a random set of one or two labels.
        case random
        /// The item's gold label when it has one, else a random one; multi-label: the gold set
        /// (a JSON list of names, or one name), else a random set.
        case gold
        /// Enter on the pre-label when there is one, else a random label (or set).
        case accept
    }

    public var answer: Answer
    public var seconds: Double
    /// Stop after this many key presses (0: no limit).
    public var decisions: Int
    public var paceMilliseconds: Int
    public var seed: UInt64

    public init(answer: Answer = .random, seconds: Double = 60, decisions: Int = 0, paceMilliseconds: Int = 0, seed: UInt64 = 1) {
        self.answer = answer
        self.seconds = seconds
        self.decisions = decisions
        self.paceMilliseconds = paceMilliseconds
        self.seed = seed
    }

    /// What a run saved and what the person would have seen go wrong.
    public struct Outcome: Sendable {
        public var decisions: [Decision]
        /// Store failures shown on the status line.
        public var storeFailures: [String]
    }

    /// Presses keys on the loop's screen until the time, the key budget or the queue runs out,
    /// then quits as a person would.
    public func run(on loop: LabelingLoop) -> Outcome {
        let labels = loop.project.config.labels
        let screen = MemoryScreen(size: ScreenSize(rows: 24, columns: 80), capabilities: .full)
        let controller = loop.makeController(screen: screen)
        controller.start()
        controller.renderIfNeeded()
        loop.startBackground()
        defer { loop.stop() }
        var random = SeededGenerator(seed: seed)
        let deadline = Date().addingTimeInterval(seconds)
        var pressed = 0
        var storeFailures: [String] = []
        while Date() < deadline, decisions == 0 || pressed < decisions {
            controller.drainInbox()
            controller.renderIfNeeded()
            controller.runDeferred()
            guard let current = controller.state.current else {
                if controller.state.queueExhausted && !controller.state.claimInFlight { break }
                controller.handle(.tick(now: ProcessInfo.processInfo.systemUptime))
                continue
            }
            if loop.project.config.task == .multi {
                let wanted: Set<Int>?
                switch answer {
                case .gold: wanted = current.item.goldLabel.flatMap { Self.goldSet($0, labels: labels) }
                case .accept: wanted = controller.state.shownPrelabel == nil ? nil : controller.state.selectedIndices
                case .random: wanted = nil
                }
                answerSet(wanted ?? randomSet(labels: labels, using: &random), on: controller)
                pressed += 1
                if case .storeFailed(let message) = controller.state.message { storeFailures.append(message) }
                if paceMilliseconds > 0 { usleep(useconds_t(paceMilliseconds * 1000)) }
                continue
            }
            let randomLabel = labels.labels[random.nextIndex(below: labels.count)]
            let key: KeyPress
            switch answer {
            case .gold:
                let label = current.item.goldLabel.flatMap(labels.index(of:)).map { labels.labels[$0] } ?? randomLabel
                key = KeyPress(name: label.key) ?? .enter
            case .accept where controller.state.shownPrelabel != nil:
                key = .enter
            case .accept, .random:
                key = KeyPress(name: randomLabel.key) ?? .enter
            }
            controller.handleKey(key)
            pressed += 1
            if case .storeFailed(let message) = controller.state.message {
                // What a person would have seen on the status line.
                storeFailures.append(message)
            }
            if paceMilliseconds > 0 { usleep(useconds_t(paceMilliseconds * 1000)) }
        }
        controller.handleKey(KeyPress(name: "q") ?? .character("q"))
        controller.runDeferred()
        return Outcome(decisions: loop.record.all, storeFailures: storeFailures)
    }

    /// Multi-label: presses the keys of the labels whose tick must change, then accept.
    func answerSet(_ wanted: Set<Int>, on controller: LabelingController) {
        let labels = controller.state.setup.labels
        for index in controller.state.selectedIndices.symmetricDifference(wanted).sorted() {
            guard let key = KeyPress(name: labels.labels[index].key) else { continue }
            controller.handleKey(key)
        }
        controller.handleKey(controller.state.setup.keymap.keys(for: .accept).first ?? .enter)
    }

    /// One or two distinct labels, drawn from the seed.
    func randomSet(labels: LabelSet, using random: inout SeededGenerator) -> Set<Int> {
        var set: Set<Int> = [random.nextIndex(below: labels.count)]
        if labels.count > 1, random.nextIndex(below: 2) == 1 { set.insert(random.nextIndex(below: labels.count)) }
        return set
    }

    /// A gold answer as a set: a JSON list of names, or one name; nil when it is neither.
    static func goldSet(_ gold: String, labels: LabelSet) -> Set<Int>? {
        if let answer = MultiLabelAnswer.decode(gold, labels: labels) { return answer.indices(in: labels) }
        return labels.index(of: gold).map { [$0] }
    }
}
