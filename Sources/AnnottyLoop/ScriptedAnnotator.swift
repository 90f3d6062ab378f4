import AnnottyCore
import AnnottyTUI
import Foundation

/// A person simulated at the keyboard, for load and concurrency tests (`annotty drive`): the
/// loop's real screen logic on a memory screen, with keys pressed as a person would.
public struct ScriptedAnnotator: Sendable {
    public enum Answer: String, Sendable, CaseIterable {
        /// A random label (seeded).
        case random
        /// The item's gold label when it has one, else a random one.
        case gold
        /// Enter on the pre-label when there is one, else a random label.
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
}
