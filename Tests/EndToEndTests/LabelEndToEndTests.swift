import Foundation
import Testing
import AnnottyCore
#if canImport(Glibc)
import Glibc
#endif

/// `annotty label` driven through tmux: real binary, real terminal, real database.
@Suite(.serialized,
       .enabled(if: TmuxSession.available, "\(TmuxSession.missingMessage)"),
       .enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct LabelEndToEndTests {
    /// What one key is expected to write, for checking the database row by row.
    struct ExpectedRow: Equatable, CustomStringConvertible {
        var itemId: Int64
        var kind: DecisionKind
        var label: String?
        /// For an undo: the index (in this list) of the row it cancels.
        var undoes: Int?

        var description: String { "\(itemId) \(kind.rawValue) \(label ?? "-") \(undoes.map(String.init) ?? "-")" }
    }

    @Test func labelTwentySampleItemsWithAcceptCorrectSkipAndUndo() throws {
        let project = try LabelTestProject.sampleReviews()
        // No learning cycle within these 20 decisions: a task learner that happens to agree with the
        // LLM on an odd item would (rightly) show it as from both, and when it first trains depends
        // on the machine's load. Its part of the screen has its own tests.
        let configURL = project.folder.appendingPathComponent("annotty.toml")
        let config = try String(contentsOf: configURL, encoding: .utf8)
        try ConfigFileEditor.setting("rerank_every", to: "1000", inSection: "queue", of: config)
            .write(to: configURL, atomically: true, encoding: .utf8)
        let store = try project.store()
        // A pre-label for every item: odd ones "positive" from the LLM, even ones "negative"
        // where the LLM and the learner agree. The queue is re-ranked as labels come in, so the
        // test follows whichever item the screen shows.
        var predictionIds: [Int64: Int64] = [:]
        for itemId in Int64(1)...300 {
            let label = itemId % 2 == 1 ? "positive" : "negative"
            var probabilities = ["positive": 0.03, "negative": 0.03, "neutral": 0.03, "mixed": 0.03]
            probabilities[label] = 0.91
            let saved = try store.savePrediction(Prediction(itemId: itemId, model: "e2e", source: itemId % 2 == 1 ? .llm : .both,
                                                            label: label, probabilities: probabilities))
            predictionIds[itemId] = saved.id
        }
        let tmux = try TmuxSession(command: project.labelCommand(annotator: "e2e"), directory: project.folder)
        defer { tmux.close() }
        try tmux.waitFor(text: "item 1 (r0001)")
        var screen = try tmux.waitFor(text: "Pre-label  ▸ positive  0.91")

        var expected: [ExpectedRow] = []
        var effective: [Int] = []  // indices in `expected` still in effect, newest last
        var done = 0
        var labelled = 0
        func press(_ key: String, kind: DecisionKind, label: String?) throws {
            let itemId = try #require(screen.shownItemId)
            try tmux.send(key)
            effective.append(expected.count)
            expected.append(ExpectedRow(itemId: itemId, kind: kind, label: label))
            done += 1
            if kind.carriesLabel { labelled += 1 }
            let wantLabelled = labelled
            screen = try tmux.waitFor("you \(wantLabelled) and the next item after \(itemId)") { screen in
                screen.labelledCount == wantLabelled && screen.shownItemId != nil && screen.shownItemId != itemId
            }
        }
        func undo() throws {
            let undone = effective.removeLast()
            let itemId = expected[undone].itemId
            try tmux.send("u")
            expected.append(ExpectedRow(itemId: itemId, kind: .undo, label: nil, undoes: undone))
            done -= 1
            if expected[undone].kind.carriesLabel { labelled -= 1 }
            let wantLabelled = labelled
            screen = try tmux.waitFor("you \(wantLabelled) with item \(itemId) back") { screen in
                screen.labelledCount == wantLabelled && screen.shownItemId == itemId
            }
        }
        func decide(step: Int) throws {
            let itemId = try #require(screen.shownItemId)
            let prelabel = itemId % 2 == 1 ? "positive" : "negative"
            switch step % 5 {
            case 0: try press("s", kind: .skip, label: nil)
            case 1: try press("Enter", kind: .accept, label: prelabel)
            case 2: try press("3", kind: .correct, label: "neutral")
            case 3: try press("Space", kind: .accept, label: prelabel)
            default:
                // A wrong label, taken back at once, then the right one.
                try press("3", kind: .correct, label: "neutral")
                try undo()
                try press("4", kind: .correct, label: "mixed")
            }
        }
        for step in 1...20 {
            try decide(step: step)
            if step == 12 {
                // Two levels of undo bring back the last two items; both are decided again.
                try undo()
                try undo()
                try decide(step: 11)
                try decide(step: 12)
            }
        }
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)
        // The closing line may wrap at 80 columns and scroll.
        let closing = try tmux.captureJoinedWithHistory()
        #expect(closing.contains("\(done) decision(s) saved in"))

        let rows = try store.allDecisions()
        let actual = rows.map { row in
            ExpectedRow(itemId: row.itemId, kind: row.kind, label: row.label,
                        undoes: row.undoesDecisionId.flatMap { id in rows.firstIndex { $0.id == id } })
        }
        #expect(actual.map(\.description) == expected.map(\.description))
        for row in rows where row.kind != .undo {
            let prelabel = row.itemId % 2 == 1 ? "positive" : "negative"
            #expect(row.annotator == "e2e")
            #expect(row.shownLabel == prelabel, "row \(row.id)")
            #expect(row.shownConfidence == 0.91, "row \(row.id)")
            #expect(row.shownSource == (row.itemId % 2 == 1 ? .llm : .both), "row \(row.id)")
            #expect(row.predictionId == predictionIds[row.itemId], "row \(row.id)")
            #expect(row.timeSpentMs > 0, "row \(row.id)")
        }
        // Twenty different items end with one effective decision each.
        let final = try store.effectiveDecisions()
        #expect(final.count == 20)
        #expect(Set(final.map(\.itemId)).count == 20)
        #expect(done == 20)
    }

    @Test func resizingMidItemLaysTheScreenOutAgain() throws {
        let long = String(repeating: "A long review that needs several lines on a narrow screen. ", count: 12)
        let project = try LabelTestProject.texts([long, "Short one."])
        let tmux = try TmuxSession(command: project.labelCommand(annotator: "resizer"), directory: project.folder)
        defer { tmux.close() }
        try tmux.waitFor(text: "Labels     1 positive   2 negative")
        try tmux.resize(columns: 130, rows: 40)
        try tmux.waitFor("the label panel beside the item") { screen in
            screen.split(separator: "\n").contains { $0.hasSuffix("│ Labels") } && !screen.contains("Labels     1 positive")
        }
        try tmux.resize(columns: 40, rows: 10)
        try tmux.waitFor(text: "annotty needs at")
        // Keys other than quit do nothing while the window is too small.
        try tmux.send("1")
        try tmux.resize(columns: 80, rows: 24)
        let screen = try tmux.waitFor(text: "Labels     1 positive   2 negative")
        #expect(screen.labelledCount == 0)
        #expect(screen.shownItemId == 1)
        try tmux.send("2")
        try tmux.waitFor("item 2 on screen") { $0.shownItemId == 2 && $0.labelledCount == 1 }
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)
        let rows = try project.store().allDecisions()
        #expect(rows.map { "\($0.itemId) \($0.kind.rawValue) \($0.label ?? "-")" } == ["1 correct negative"])
    }

    @Test func killedMidSessionEveryDecisionShownAsDoneIsSaved() throws {
        let project = try LabelTestProject.sampleReviews()
        let tmux = try TmuxSession(command: project.labelCommand(annotator: "crash"), directory: project.folder)
        defer { tmux.close() }
        try tmux.waitFor(text: "item 1 (r0001)")
        // Twelve keys as fast as tmux sends them; kill the process the moment the screen
        // shows some of them done.
        try tmux.send("1", "2", "3", "4", "s", "1", "2", "3", "4", "s", "1", "2")
        let screen = try tmux.waitFor("at least five labels on screen") { ($0.labelledCount ?? 0) >= 5 }
        let pid = try tmux.commandPID()
        #expect(kill(pid, SIGKILL) == 0)
        #expect(try tmux.waitForExit() == 128 + SIGKILL)
        let shownLabelled = try #require(screen.labelledCount)
        // The line under the labels named the last decision shown as saved: "✓ item 7 skipped".
        let savedLine = try #require(screen.split(separator: "\n").first { $0.hasPrefix(" ✓ item ") })
        let lastSavedItem = try #require(Int64(savedLine.dropFirst(" ✓ item ".count).prefix { $0.isNumber }))
        let effective = try project.store().effectiveDecisions()
        #expect(effective.filter(\.kind.carriesLabel).count >= shownLabelled)
        #expect(effective.count <= 12)
        #expect(effective.allSatisfy { $0.annotator == "crash" })
        #expect(effective.contains { $0.itemId == lastSavedItem })
        // The fifth key was a skip, and five labels were shown, so the skip was passed.
        #expect(effective.contains { $0.kind == .skip })

        // Started again, the session goes on with an item not yet decided.
        let again = try TmuxSession(command: project.labelCommand(annotator: "crash"), directory: project.folder)
        defer { again.close() }
        let resumed = try again.waitFor("an item on screen") { $0.shownItemId != nil }
        let resumedItem = try #require(resumed.shownItemId)
        #expect(!effective.map(\.itemId).contains(resumedItem))
        #expect(resumed.labelledCount == 0)
        try again.send("q")
        #expect(try again.waitForExit() == 0)
    }

    /// SGR sequences that set a colour (30-37, 40-47, 90-97, 38;5;n, 48;5;n).
    static func usesColor(_ screen: String) -> Bool {
        let pattern = try! NSRegularExpression(pattern: "\u{1B}\\[(?:[0-9]*;)*(?:3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48)(?:;[0-9]*)*m")
        return pattern.firstMatch(in: screen, range: NSRange(screen.startIndex..., in: screen)) != nil
    }

    @Test func colourTerminalsGetColoursAndVT100AndNoColorGetMonochrome() throws {
        let project = try LabelTestProject.texts(["First review.", "Second review.", "Third review."])
        // One annotator throughout: quitting keeps the item on screen for the next session.
        let colour = try TmuxSession(command: project.labelCommand(annotator: "vt"), directory: project.folder)
        defer { colour.close() }
        try colour.waitFor(text: "First review.")
        #expect(Self.usesColor(try colour.captureWithAttributes()))
        try colour.send("q")
        _ = try colour.waitForExit()

        let vt100 = try TmuxSession(command: project.labelCommand(annotator: "vt", term: "vt100"), directory: project.folder)
        defer { vt100.close() }
        try vt100.waitFor(text: "First review.")
        let attributed = try vt100.captureWithAttributes()
        #expect(!Self.usesColor(attributed))
        // Monochrome still marks the bars: reverse video (SGR 7).
        #expect(attributed.contains("\u{1B}[7m"))
        try vt100.send("1")
        try vt100.waitFor(text: "Second review.")
        try vt100.send("Enter")
        try vt100.waitFor(text: "No pre-label to accept")
        try vt100.send("2")
        try vt100.waitFor(text: "Third review.")
        try vt100.send("q")
        #expect(try vt100.waitForExit() == 0)

        let noColor = try TmuxSession(command: project.labelCommand(annotator: "vt", extraEnvironment: ["NO_COLOR=1"]),
                                      directory: project.folder)
        defer { noColor.close() }
        try noColor.waitFor(text: "Third review.")
        #expect(!Self.usesColor(try noColor.captureWithAttributes()))
        try noColor.send("q")
        _ = try noColor.waitForExit()

        let rows = try project.store().allDecisions()
        #expect(rows.map { "\($0.annotator) \($0.itemId) \($0.label ?? "-")" } == ["vt 1 positive", "vt 2 negative"])
    }

    @Test func withoutAUTF8LocaleItShowsASCIIAndStillWorks() throws {
        let hostile = "Evil \u{1B}[2J\u{1B}]0;pwned\u{7} text \u{202E}desrever\u{202C} end"
        let project = try LabelTestProject.texts([hostile, "中文 and emoji 😀 and café"])
        let tmux = try TmuxSession(command: project.labelCommand(annotator: "ascii", locale: "C"), directory: project.folder)
        defer { tmux.close() }
        let first = try tmux.waitFor(text: "Evil ^[[2J^[]0;pwned^G text <RLO>desrever<PDF> end")
        #expect(first.allSatisfy { $0.isASCII }, "\(first.filter { !$0.isASCII }.unicodeScalars.map { String($0.value, radix: 16) }) in \(first)")
        // The project's counts are read in the background; they show within moments.
        try tmux.waitFor(text: " you 0 | project 0/2 (0%) | -/h | auto 0 | queue 0 | LLM off")
        #expect(first.contains("--------------------------------------------------------------------------------"))
        try tmux.send("2")
        let second = try tmux.waitFor(text: "?? and emoji ? and cafe")
        #expect(second.allSatisfy { $0.isASCII }, "\(second)")
        try tmux.send("1")
        try tmux.waitFor(text: "you 2 |")
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)
        let rows = try project.store().allDecisions()
        #expect(rows.map { "\($0.itemId) \($0.label ?? "-")" } == ["1 negative", "2 positive"])
    }

    @Test func escapeSequencesInAnItemNeverReachTheTerminal() throws {
        // Were the escapes sent, tmux would clear the pane (2J) and set its title.
        let project = try LabelTestProject.texts(["Before \u{1B}[2J\u{1B}]2;pwned\u{7}\u{1B}[31mred after"])
        let tmux = try TmuxSession(command: project.labelCommand(annotator: "safe"), directory: project.folder)
        defer { tmux.close() }
        let screen = try tmux.waitFor(text: "Before ␛[2J␛]2;pwned␇␛[31mred after")
        #expect(screen.contains("annotty · "))
        let title = try tmux.tmux(["display-message", "-p", "-t", "main", "#{pane_title}"])
        #expect(!title.contains("pwned"))
        try tmux.send("q")
        _ = try tmux.waitForExit()
    }
}
