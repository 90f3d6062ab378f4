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
        let store = try project.store()
        // Pre-labels for the first 20 items: odd ones "positive" from the LLM, even ones
        // "negative" where the LLM and the learner agree.
        var predictionIds: [Int64: Int64] = [:]
        for itemId in Int64(1)...20 {
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
        try tmux.waitFor(text: "Pre-label  ▸ positive  0.91")

        var expected: [ExpectedRow] = []
        var undoStack: [Int] = []
        var done = 0
        func press(_ key: String, expecting row: ExpectedRow, thenShows nextItem: Int64) throws {
            try tmux.send(key)
            if row.kind == .undo {
                let undone = undoStack.removeLast()
                expected.append(ExpectedRow(itemId: row.itemId, kind: .undo, label: nil, undoes: undone))
                done -= 1
            } else {
                undoStack.append(expected.count)
                expected.append(row)
                done += 1
            }
            let wantDone = done
            try tmux.waitFor("done \(wantDone) with item \(nextItem) on screen") { screen in
                screen.doneCount == wantDone && screen.shownItemId == nextItem
            }
        }
        func decide(_ itemId: Int64, next: Int64) throws {
            let prelabel = itemId % 2 == 1 ? "positive" : "negative"
            switch itemId % 5 {
            case 0: try press("s", expecting: ExpectedRow(itemId: itemId, kind: .skip), thenShows: next)
            case 1: try press("Enter", expecting: ExpectedRow(itemId: itemId, kind: .accept, label: prelabel), thenShows: next)
            case 2: try press("3", expecting: ExpectedRow(itemId: itemId, kind: .correct, label: "neutral"), thenShows: next)
            case 3: try press("Space", expecting: ExpectedRow(itemId: itemId, kind: .accept, label: prelabel), thenShows: next)
            default:
                // A wrong label, taken back at once, then the right one.
                try press("3", expecting: ExpectedRow(itemId: itemId, kind: .correct, label: "neutral"), thenShows: next)
                try press("u", expecting: ExpectedRow(itemId: itemId, kind: .undo), thenShows: itemId)
                try press("4", expecting: ExpectedRow(itemId: itemId, kind: .correct, label: "mixed"), thenShows: next)
            }
        }
        for itemId in Int64(1)...20 {
            try decide(itemId, next: itemId + 1)
            if itemId == 12 {
                // Two levels of undo bring back 12, then 11; both are decided again.
                try press("u", expecting: ExpectedRow(itemId: 12, kind: .undo), thenShows: 12)
                try press("u", expecting: ExpectedRow(itemId: 11, kind: .undo), thenShows: 11)
                try decide(11, next: 12)
                try decide(12, next: 13)
            }
        }
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)
        // The closing line may wrap at 80 columns and scroll.
        let closing = try tmux.captureJoinedWithHistory()
        #expect(closing.contains("\(expected.filter { $0.kind != .undo }.count - expected.filter { $0.kind == .undo }.count) decision(s) saved in"))

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
        // Every item 1-20 ends with one effective decision.
        let effective = try store.effectiveDecisions()
        #expect(effective.map(\.itemId).sorted() == Array(Int64(1)...20))
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
        #expect(screen.doneCount == 0)
        #expect(screen.shownItemId == 1)
        try tmux.send("2")
        try tmux.waitFor("item 2 on screen") { $0.shownItemId == 2 && $0.doneCount == 1 }
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
        let screen = try tmux.waitFor("at least five decisions on screen") { ($0.doneCount ?? 0) >= 5 }
        let pid = try tmux.commandPID()
        #expect(kill(pid, SIGKILL) == 0)
        #expect(try tmux.waitForExit() == 128 + SIGKILL)
        let shownDone = try #require(screen.doneCount)
        let shownItem = try #require(screen.shownItemId)
        let effective = try project.store().effectiveDecisions()
        #expect(effective.count >= shownDone)
        #expect(effective.count <= 12)
        // Everything before the item on screen was decided, in queue order.
        #expect(Array(effective.map(\.itemId).prefix(shownDone)) == Array(Int64(1)..<shownItem))

        // Started again, the session goes on after the last saved decision.
        let again = try TmuxSession(command: project.labelCommand(annotator: "crash"), directory: project.folder)
        defer { again.close() }
        let resumed = try again.waitFor("the next undecided item") { $0.shownItemId != nil }
        #expect(resumed.shownItemId == Int64(effective.count + 1))
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
        let colour = try TmuxSession(command: project.labelCommand(annotator: "colour"), directory: project.folder)
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

        let noColor = try TmuxSession(command: project.labelCommand(annotator: "nocolor", extraEnvironment: ["NO_COLOR=1"]),
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
        #expect(first.allSatisfy { $0.isASCII }, "\(first)")
        #expect(first.contains(" done 0 | left 2 | -/h | auto 0 | queue 0 | LLM off"))
        #expect(first.contains("--------------------------------------------------------------------------------"))
        try tmux.send("2")
        let second = try tmux.waitFor(text: "?? and emoji ? and cafe")
        #expect(second.allSatisfy { $0.isASCII }, "\(second)")
        try tmux.send("1")
        try tmux.waitFor(text: "done 2")
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
