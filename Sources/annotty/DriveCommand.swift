import ArgumentParser
import AnnottyCore
import AnnottyPostgres
import AnnottyLoop
import Foundation

struct DriveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drive",
        abstract: "Label headlessly with scripted answers, through the same screen logic as `label`.",
        discussion: """
        For load and concurrency tests: runs the labeling loop's screen logic on an in-memory \
        screen and presses keys as a person would, answering each item with a random label \
        (seeded), its gold answer when it has one (--answer gold), or by accepting the \
        pre-label. On a multi-label project each answer is a set (random: one or \
        two labels; gold: the item's gold set, a JSON list of names), ticked with \
        the label keys and saved with Enter. Prints one line per committed decision id to --log when given, and a summary. \
        With --with-model the model and the learning cycle run behind the screen as in `label`.
        """,
        shouldDisplay: false)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var annotator: AnnotatorOptions

    @Option(help: "Stop after this many seconds.")
    var seconds: Double = 60

    @Option(help: "Stop after this many decisions (0: no limit).")
    var decisions: Int = 0

    @Option(help: "random, gold or accept.")
    var answer: ScriptedAnnotator.Answer = .random

    @Option(help: "Pause between key presses, in milliseconds.")
    var paceMs: Int = 0

    @Option(help: "Seed of the random answers.")
    var seed: UInt64 = 1

    @Option(help: "Append each committed decision id to this file.")
    var log: String?

    @Flag(help: "Run the model and the learning cycle behind the screen, as `label` does.")
    var withModel = false

    func validate() throws {
        guard seconds > 0 else { throw ValidationError("--seconds must be more than 0") }
        guard decisions >= 0 else { throw ValidationError("--decisions must be 0 (no limit) or more") }
        guard paceMs >= 0 else { throw ValidationError("--pace-ms must be 0 or more") }
    }

    func run() throws {
        let project = try project.open()
        try project.config.requireTask(.single, .multi, command: "drive")
        let store = try ProjectStore.open(project)
        let loop = try LabelingLoop(project: project, store: store, annotator: annotator.name, guidelines: nil,
                                    model: withModel ? .project : .none, learns: withModel)
        let script = ScriptedAnnotator(answer: answer, seconds: seconds, decisions: decisions, paceMilliseconds: paceMs, seed: seed)
        let outcome = script.run(on: loop)
        if let log {
            let lines = outcome.decisions.filter { $0.kind != .undo }.map { "\($0.id) \($0.itemId) \($0.kind.rawValue) \($0.label ?? "-")" }
            try (lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).write(toFile: log, atomically: true, encoding: .utf8)
        }
        let name = TerminalSafeText.singleLine(annotator.name, limit: 80)
        print("\(name): \(outcome.decisions.count) decisions committed")
        if !outcome.storeFailures.isEmpty {
            printError("\(name): \(outcome.storeFailures.count) store errors shown: "
                       + TerminalSafeText.singleLine(outcome.storeFailures.prefix(3).joined(separator: "; "), limit: 400))
            throw ExitCode(3)
        }
    }
}

extension ScriptedAnnotator.Answer: ExpressibleByArgument {}
