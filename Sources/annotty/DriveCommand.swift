import ArgumentParser
import AnnottyCore
import AnnottyTUI
import Foundation

struct DriveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drive",
        abstract: "Label headlessly with scripted answers, through the same screen logic as `label`.",
        discussion: """
        For load and concurrency tests: runs the labeling screen's reducer and controller on an \
        in-memory screen and presses keys as a person would, answering each item with a random \
        label (seeded), its gold answer when it has one (--answer gold), or by accepting the \
        pre-label. Prints one line per committed decision id to --log when given, and a summary.
        """,
        shouldDisplay: false)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var annotator: AnnotatorOptions

    @Option(help: "Stop after this many seconds.")
    var seconds: Double = 60

    @Option(help: "Stop after this many decisions (0: no limit).")
    var decisions: Int = 0

    @Option(help: "random, gold or accept.")
    var answer: String = "random"

    @Option(help: "Pause between key presses, in milliseconds.")
    var paceMs: Int = 0

    @Option(help: "Seed of the random answers.")
    var seed: UInt64 = 1

    @Option(help: "Append each committed decision id to this file.")
    var log: String?

    func run() throws {
        let project = try project.open()
        let store = try project.openStore()
        let labels = project.config.labels
        let committed = DecisionLog()
        let session = try LabelingSession(project: project, store: store, annotator: annotator.name,
                                          onDecision: { decision in committed.append(decision) })
        let screen = MemoryScreen(size: ScreenSize(rows: 24, columns: 80), capabilities: .full)
        let controller = LabelingController(session: session, screen: screen, countsQueue: nil)
        controller.start()
        var random = SeededGenerator(seed: seed)
        let deadline = Date().addingTimeInterval(seconds)
        var pressed = 0
        var storeFailures: [String] = []
        while Date() < deadline, decisions == 0 || pressed < decisions {
            controller.renderIfNeeded()
            controller.runDeferred()
            guard let current = controller.state.current else {
                if controller.state.queueExhausted && !controller.state.claimInFlight { break }
                controller.handle(.tick(now: ProcessInfo.processInfo.systemUptime))
                continue
            }
            let key: KeyPress
            switch answer {
            case "gold":
                let label = current.item.goldLabel.flatMap(labels.index(of:)).map { labels.labels[$0] }
                    ?? labels.labels[random.nextIndex(below: labels.count)]
                key = KeyPress(name: label.key) ?? .enter
            case "accept" where controller.state.shownPrelabel != nil:
                key = .enter
            default:
                key = KeyPress(name: labels.labels[random.nextIndex(below: labels.count)].key) ?? .enter
            }
            controller.handleKey(key)
            pressed += 1
            if case .storeFailed(let message) = controller.state.message {
                // What a person would have seen on the status line.
                storeFailures.append(message)
            }
            if paceMs > 0 { usleep(useconds_t(paceMs * 1000)) }
        }
        controller.handleKey(KeyPress(name: "q") ?? .character("q"))
        controller.runDeferred()
        let saved = committed.snapshot()
        if let log {
            let lines = saved.filter { $0.kind != .undo }.map { "\($0.id) \($0.itemId) \($0.kind.rawValue) \($0.label ?? "-")" }
            try (lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).write(toFile: log, atomically: true, encoding: .utf8)
        }
        print("\(annotator.name): \(saved.count) decisions committed")
        if !storeFailures.isEmpty {
            printError("\(annotator.name): \(storeFailures.count) store errors shown: \(storeFailures.prefix(3).joined(separator: "; "))")
            throw ExitCode(3)
        }
    }
}

/// Decisions reported by the controller, collected across its callbacks.
final class DecisionLog: @unchecked Sendable {
    private let lock = NSLock()
    private var decisions: [Decision] = []

    func append(_ decision: Decision) {
        lock.lock()
        decisions.append(decision)
        lock.unlock()
    }

    func snapshot() -> [Decision] {
        lock.lock()
        defer { lock.unlock() }
        return decisions
    }
}
