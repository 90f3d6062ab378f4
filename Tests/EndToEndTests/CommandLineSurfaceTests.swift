import AnnottyTestSupport
import Foundation
import Testing

/// What a person sees from the command line without a screen: every `--help` at 80 columns when
/// piped, the usage line that comes with an option error, and label lists that start with a dash.
@Suite(.enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct CommandLineSurfaceTests {
    /// Every subcommand `annotty --help` lists, so a new command is checked without editing this.
    static func subcommands() throws -> [String] {
        let (_, help) = try run(["--help"])
        let lines = help.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "SUBCOMMANDS:") else { return [] }
        return lines[(start + 1)...].prefix { !$0.isEmpty }.compactMap { line in
            // A command starts two spaces in; its abstract's continuation lines start further in.
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }.filter { $0 != "help" } + hiddenSubcommands
    }

    /// Commands left out of the top-level list (tools for testing and studies) still have help.
    static let hiddenSubcommands = ["drive", "calibration-study"]

    /// Runs the binary with standard output and error piped (so not a terminal), in `folder`.
    /// Runs the built binary, standard error with standard output. The environment is a fixed
    /// 80-column one unless given; nil inherits the test's (a database URL and password, the
    /// local model's settings).
    static func run(_ arguments: [String], in folder: URL? = nil,
                    environment: [String: String]? = ["COLUMNS": "80", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"])
        throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: LabelTestProject.binary!)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let folder { process.currentDirectoryURL = folder }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The prose between OVERVIEW and USAGE: paragraphs a wrapper re-flows at the screen width.
    static func discussionLines(_ help: String) -> [String] {
        let lines = help.components(separatedBy: "\n")
        guard let end = lines.firstIndex(where: { $0.hasPrefix("USAGE:") }) else { return [] }
        return Array(lines[..<end])
    }

    @Test func helpFitsEightyColumnsWithoutBreaksMidSentence() throws {
        let commands = try Self.subcommands()
        #expect(commands.count >= 15 && commands.contains("import-annotations") && commands.contains("simulate"), "\(commands)")
        for command in commands { try Self.checkHelp(of: command) }
    }

    static func checkHelp(of command: String) throws {
        let (status, help) = try Self.run([command, "--help"])
        #expect(status == 0)
        // ArgumentParser's one-line USAGE synopsis is generated whole; every other line must fit.
        for line in help.components(separatedBy: "\n") where !line.hasPrefix("USAGE:") {
            #expect(line.count <= 80, "annotty \(command) --help: \(line.count) columns: \(line)")
        }
        // A prose line followed by more prose of the same paragraph must be full: if the next word
        // fit on it, the text was broken by hand and the wrapper left a short line mid-sentence.
        // (ArgumentParser fills lines to 79 columns.)
        let lines = Self.discussionLines(help)
        for (line, next) in zip(lines, lines.dropFirst()) {
            guard !line.isEmpty, !next.isEmpty, !line.hasPrefix(" "), !next.hasPrefix(" "), !line.hasSuffix(":") else { continue }
            let nextWord = next.split(separator: " ").first.map(String.init) ?? ""
            #expect(line.count + 1 + nextWord.count >= 80, "annotty \(command) --help breaks early: \"\(line)\" / \"\(next)\"")
        }
        // Examples stay copy-pasteable: an indented example line is never wrapped, so what follows
        // it is another indented line (a `\` continuation), a blank line, or the end of the prose.
        for (line, next) in zip(lines, lines.dropFirst()) where line.hasPrefix("  ") {
            #expect(next.isEmpty || next.hasPrefix("  "),
                    "annotty \(command) --help: an example was wrapped: \"\(line)\" / \"\(next)\"")
        }
    }

    @Test func labelsThatStartWithADashAreLabels() throws {
        let dir = try TemporaryDirectory()
        let spaced = try Self.run(["init", dir.path("spaced"), "--labels", "-100,-99", "--provider", "none"])
        #expect(spaced.status == 0, "\(spaced.output)")
        let toml = try String(contentsOfFile: dir.path("spaced/annotty.toml"), encoding: .utf8)
        #expect(toml.contains("\"-100\"") && toml.contains("\"-99\""))
        let joined = try Self.run(["init", dir.path("joined"), "--labels=-100,-99", "--provider", "none"])
        #expect(joined.status == 0, "\(joined.output)")
        let twice = try Self.run(["init", dir.path("twice"), "--labels", "a,b,a"])
        #expect(twice.status != 0 && twice.output.contains("has a label twice: a"))
    }

    @Test func anOptionErrorShowsTheCommandsOwnUsage() throws {
        let dir = try TemporaryDirectory()
        _ = try Self.run(["init", dir.path("p"), "--labels", "a,b", "--provider", "none"])
        for (arguments, command) in [(["export", "-p", dir.path("p"), "--format", "xml"], "export"),
                                     (["aggregate", "-p", dir.path("p"), "--method", "vote"], "aggregate"),
                                     (["import", "items.unknown", "-p", dir.path("p")], "import"),
                                     (["init", dir.path("q"), "--labels", "a,b", "--provider", "gpt"], "init")] {
            let result = try Self.run(arguments)
            #expect(result.status != 0)
            #expect(result.output.contains("Usage: annotty \(command) "), "\(arguments): \(result.output)")
            #expect(!result.output.contains("Usage: annotty <subcommand>"))
        }
    }

    /// One bad option value per subcommand: every subcommand `annotty --help` lists must have one
    /// here, so a new command is checked too.
    static func badOption(of command: String, project: String, scratch: TemporaryDirectory) -> [String]? {
        switch command {
        case "init": return ["init", scratch.path("q"), "--labels", "a,b", "--provider", "gpt"]
        case "import": return ["import", "items.unknown", "-p", project]
        case "label": return ["label", "-p", project, "--annotator", " "]
        case "export": return ["export", "-p", project, "--format", "xml"]
        case "status": return ["status", "-p", project, "--show", "-1"]
        case "stats": return ["stats", "-p", project, "--agreement", "--pairs", "0"]
        case "import-annotations": return ["import-annotations", "votes.csv", "-p", project, "--map", "yes"]
        case "aggregate": return ["aggregate", "-p", project, "--method", "vote"]
        case "review": return ["review", "-p", project, "--annotator", ""]
        case "browse": return ["browse", "-p", project, "--min-confidence", "2"]
        case "audit": return ["audit", "-p", project, "--sample", "0"]
        case "drive": return ["drive", "-p", project, "--seconds", "0"]
        case "prelabel": return ["prelabel", "-p", project, "--concurrency", "0"]
        case "import-predictions": return ["import-predictions", "batch.jsonl", "-p", project, "--price-factor", "-1"]
        case "simulate": return ["simulate", "--seeds", "0"]
        case "replay": return ["replay", "items.jsonl", "--predictions", "p.jsonl", "--rerank-every", "0"]
        case "plan": return ["plan", "-p", project, "--budget", "-5"]
        case "calibration-study": return ["calibration-study", "p.jsonl", "--accuracy-floor", "2"]
        case "backup": return ["backup", "-p", project, "--bogus", "1"]
        case "check": return ["check", "-p", project, "--file", ""]
        case "store": return ["store", "--bogus", "1"]
        default: return nil
        }
    }

    static func expectOwnUsage(_ arguments: [String], command: String) throws {
        let result = try Self.run(arguments)
        #expect(result.status != 0, "\(arguments): \(result.output)")
        #expect(result.output.contains("Usage: annotty \(command) "), "\(arguments): \(result.output)")
        #expect(result.output.contains("See 'annotty \(command) --help'"), "\(arguments): \(result.output)")
        #expect(!result.output.contains("Usage: annotty <subcommand>"), "\(arguments): \(result.output)")
    }

    @Test func everySubcommandsOptionErrorShowsItsOwnUsage() throws {
        let dir = try TemporaryDirectory()
        let project = dir.path("p")
        let created = try Self.run(["init", project, "--labels", "a,b", "--provider", "none"])
        #expect(created.status == 0, "\(created.output)")
        let commands = try Self.subcommands()
        #expect(commands.count >= 15)
        for command in commands {
            guard let arguments = Self.badOption(of: command, project: project, scratch: dir) else {
                Issue.record("no bad option value for `annotty \(command)`: add one to badOption(of:)")
                continue
            }
            try Self.expectOwnUsage(arguments, command: command)
        }
        // Checks that need the project run after parsing; their errors name the command too.
        _ = try Self.run(["status", "-p", project])
        for (arguments, command) in [(["browse", "-p", project, "--label", "banana"], "browse"),
                                     (["backup", "-p", project, project + "/annotty.sqlite"], "backup"),
                                     (["prelabel", "-p", project], "prelabel")] {
            try Self.expectOwnUsage(arguments, command: command)
        }
    }

    @Test func importOutsideAProjectSuggestsTheProjectOption() throws {
        let dir = try TemporaryDirectory()
        try "{\"text\": \"a\"}\n".write(toFile: dir.path("items.jsonl"), atomically: true, encoding: .utf8)
        let result = try Self.run(["import", "items.jsonl"], in: dir.url)
        #expect(result.status != 0)
        #expect(result.output.contains("-p DIR"), "\(result.output)")
    }
}
