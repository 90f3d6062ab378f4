import Foundation
import Testing
import AnnottyCore

/// `annotty label` on a multi-label project, driven through tmux at 80x24 in a monochrome
/// terminal (vt100) with `LANG=C`: toggles, a reverted toggle, an empty set, an undone commit
/// whose set comes back ticked, an accepted pre-label; then the decisions table row by row.
@Suite(.serialized,
       .enabled(if: TmuxSession.available, "\(TmuxSession.missingMessage)"),
       .enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct MultiLabelEndToEndTests {
    static let labels = LabelSet([Label(name: "anger", key: "1"), Label(name: "fear", key: "2"),
                                  Label(name: "joy", key: "3"), Label(name: "sadness", key: "4")])

    struct ExpectedRow: Equatable, CustomStringConvertible {
        var itemId: Int64
        var kind: DecisionKind
        var label: String?
        var shownLabel: String?
        /// For an undo: the index (in this list) of the row it cancels.
        var undoes: Int?

        var description: String {
            "\(itemId) \(kind.rawValue) \(label ?? "-") shown \(shownLabel ?? "-") undoes \(undoes.map(String.init) ?? "-")"
        }
    }

    static func encoded(_ names: String...) -> String { MultiLabelAnswer(names, labels: labels).encoded }

    @Test func toggleRevertCommitAnEmptySetUndoAndChangeACommittedSetThenCheckEveryRow() throws {
        let project = try LabelTestProject.multiLabel(
            labels: "anger,fear,joy,sadness",
            texts: ["I passed the exam but the interview scared me.", "The bus was late again.",
                    "Nothing much happened today.", "My dog died and I am furious at the vet."])
        let store = try project.store()
        // Pre-labels on items 1 and 4: each label's probability of being in the set.
        let prelabels: [Int64: [Double]] = [1: [0.1, 0.7, 0.9, 0.2], 4: [0.8, 0.1, 0.05, 0.95]]
        for (itemId, inProbabilities) in prelabels {
            _ = try store.savePrediction(Prediction(
                itemId: itemId, model: "e2e", label: MultiLabelAnswer.predicted(inProbabilities: inProbabilities, labels: Self.labels).encoded,
                probabilities: Dictionary(uniqueKeysWithValues: zip(Self.labels.names, inProbabilities))))
        }
        let shownSets: [Int64: String] = [1: Self.encoded("fear", "joy"), 4: Self.encoded("anger", "sadness")]

        let tmux = try TmuxSession(command: project.labelCommand(annotator: "e2e", term: "vt100", locale: "C"),
                                   directory: project.folder)
        defer { tmux.close() }
        var screen = try tmux.waitFor("the first item") { $0.shownItemId != nil && $0.contains("[ ] ") }
        #expect(!LabelEndToEndTests.usesColor(try tmux.captureWithAttributes()))

        var expected: [ExpectedRow] = []
        var labelled = 0

        /// Presses keys that only change the ticks, waiting for each toggle's message.
        func toggle(_ key: String, message: String) throws {
            try tmux.send(key)
            screen = try tmux.waitFor(text: message)
        }
        /// Enter: the ticked set is saved and the next item (or the end) shows.
        func commit(_ itemId: Int64, kind: DecisionKind, label: String) throws {
            try tmux.send("Enter")
            expected.append(ExpectedRow(itemId: itemId, kind: kind, label: label, shownLabel: shownSets[itemId]))
            labelled += 1
            let want = labelled
            screen = try tmux.waitFor("you \(want) after item \(itemId)") { screen in
                screen.labelledCount == want && screen.shownItemId != itemId
            }
        }

        var visited: [Int64] = []
        while let itemId = screen.shownItemId, !visited.contains(itemId) {
            visited.append(itemId)
            #expect(screen.allSatisfy { $0.isASCII }, "\(screen)")
            #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 80 })
            switch itemId {
            case 1:
                // The pre-label's set starts ticked, each label with its probability, * on those predicted in.
                #expect(screen.contains("Pre-label  > fear + joy  0.70"))
                #expect(screen.contains("[ ] 1 anger 0.10"))
                #expect(screen.contains("[x] 2 fear 0.70*"))
                #expect(screen.contains("[x] 3 joy 0.90*"))
                #expect(screen.contains("[ ] 4 sadness 0.20"))
                try toggle("1", message: "ticked anger: anger + fear + joy")
                try toggle("4", message: "ticked sadness: anger + fear + joy + sadness")
                #expect(screen.contains("[x] 4 sadness"))
                try toggle("u", message: "toggle of sadness reverted (unticked again): anger + fear + joy")
                #expect(screen.contains("[ ] 4 sadness"))
                try toggle("2", message: "unticked fear: anger + joy")
                try commit(1, kind: .correct, label: Self.encoded("anger", "joy"))
                #expect(screen.contains("item 1 corrected: fear + joy -> anger + joy"))
            case 2:
                #expect(screen.contains("Pre-label  none: tick the labels that apply, then Enter"))
                // Nothing ticked: the empty set, which this project allows.
                try commit(2, kind: .correct, label: "[]")
                #expect(screen.contains("item 2 saved: no label"))
            case 3:
                try toggle("3", message: "ticked joy: joy")
                try commit(3, kind: .correct, label: Self.encoded("joy"))
                // No toggle on the next item: u undoes the commit and item 3 comes back with joy ticked.
                let undone = expected.count - 1
                try tmux.send("u")
                expected.append(ExpectedRow(itemId: 3, kind: .undo, label: nil, shownLabel: nil, undoes: undone))
                labelled -= 1
                screen = try tmux.waitFor(text: "undid item 3 (correct joy); that set is ticked again")
                #expect(screen.shownItemId == 3)
                #expect(screen.contains("[x] 3 joy"))
                #expect(screen.contains("[ ] 4 sadness"))
                try toggle("4", message: "ticked sadness: joy + sadness")
                try commit(3, kind: .correct, label: Self.encoded("joy", "sadness"))
            case 4:
                #expect(screen.contains("[x] 1 anger 0.80*"))
                #expect(screen.contains("[x] 4 sadness 0.95*"))
                try commit(4, kind: .accept, label: Self.encoded("anger", "sadness"))
                #expect(screen.contains("item 4 accepted: anger + sadness"))
            default:
                Issue.record("unexpected item \(itemId) on screen:\n\(screen)")
            }
        }
        #expect(Set(visited) == [1, 2, 3, 4])
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)

        // The decisions table, row by row, in the order the keys were pressed.
        let rows = try project.store().allDecisions()
        #expect(rows.count == expected.count)
        for (index, (row, want)) in zip(rows, expected).enumerated() {
            let undoes = want.undoes.map { rows[$0].id }
            #expect(row.itemId == want.itemId, "row \(index): \(row) vs \(want)")
            #expect(row.kind == want.kind, "row \(index): \(row) vs \(want)")
            #expect(row.label == want.label, "row \(index): \(row) vs \(want)")
            #expect(row.annotator == "e2e", "row \(index)")
            #expect(row.undoesDecisionId == undoes, "row \(index): \(row) vs \(want)")
            if want.kind != .undo {
                #expect(row.shownLabel == want.shownLabel, "row \(index): \(row) vs \(want)")
            }
        }
        // Every stored answer is a set of the project's labels.
        for row in rows where row.kind != .undo {
            #expect(row.label.flatMap { MultiLabelAnswer.decode($0, labels: Self.labels) } != nil, "\(row)")
        }
    }

    @Test func aProjectThatNeedsALabelRefusesTheEmptySetAndSaysWhichKeys() throws {
        let project = try LabelTestProject.multiLabel(labels: "anger,fear,joy,sadness",
                                                      texts: ["Calm day.", "Another calm day."])
        let config = project.folder.appendingPathComponent("annotty.toml")
        let text = try String(contentsOf: config, encoding: .utf8)
        try text.replacingOccurrences(of: "allow_empty_set = true", with: "allow_empty_set = false")
            .write(to: config, atomically: true, encoding: .utf8)
        let tmux = try TmuxSession(command: project.labelCommand(annotator: "strict", term: "vt100", locale: "C"),
                                   directory: project.folder)
        defer { tmux.close() }
        let first = try tmux.waitFor("the first item") { $0.shownItemId != nil && $0.contains("[ ] ") }
        let itemId = try #require(first.shownItemId)
        try tmux.send("Enter")
        try tmux.waitFor(text: "Pick at least one label (1-4), then Enter")
        try tmux.send("2")
        try tmux.waitFor(text: "ticked fear: fear")
        try tmux.send("Enter")
        try tmux.waitFor("item \(itemId) saved") { $0.labelledCount == 1 }
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)
        let rows = try project.store().allDecisions()
        #expect(rows.map { "\($0.itemId) \($0.kind.rawValue) \($0.label ?? "-")" } == ["\(itemId) correct [\"fear\"]"])
    }

    /// `annotty drive` answers sets: a golden item with its gold set (a JSON list, the empty one
    /// included), any other with a random set of one or two labels, each through the label keys
    /// and Enter of the real screen logic.
    @Test func driveAnswersGoldenItemsWithTheirGoldSetsAndOthersWithRandomSets() throws {
        let gold: [[String]] = [["joy"], ["sadness", "fear"], [], ["anger"], ["anger", "fear", "joy"]]
        let project = try LabelTestProject.multiLabel(labels: "anger,fear,joy,sadness",
                                                      texts: ["Plain one.", "Plain two.", "Plain three."])
        var rows: [String] = []
        for (index, set) in gold.enumerated() {
            let row: [String: Any] = ["id": "g\(index)", "text": "Golden \(index).", "gold": set]
            rows.append(String(decoding: try JSONSerialization.data(withJSONObject: row), as: UTF8.self))
        }
        let file = project.folder.appendingPathComponent("golden.jsonl")
        try (rows.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        try project.annotty(["import", file.path, "-p", project.folder.path, "--gold-field", "gold"])
        // Every queue slot a golden question while any is left, so the run meets them all.
        let config = project.folder.appendingPathComponent("annotty.toml")
        let text = try String(contentsOf: config, encoding: .utf8)
        #expect(text.contains("golden_rate = 0.0"))
        try text.replacingOccurrences(of: "golden_rate = 0.0", with: "golden_rate = 1.0").write(to: config, atomically: true, encoding: .utf8)

        let log = project.folder.appendingPathComponent("drive.log").path
        let output = try project.annotty(["drive", "-p", project.folder.path, "--annotator", "bot", "--seconds", "30",
                                          "--answer", "gold", "--seed", "3", "--log", log])
        #expect(output.contains("bot: 8 decisions committed"))
        let store = try project.store()
        let decisions = try store.allDecisions()
        #expect(decisions.count == 8)
        #expect(Set(decisions.map(\.itemId)).count == 8)
        let items = try store.items(ids: decisions.map(\.itemId))
        let externalIds = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.externalId ?? "") })
        for decision in decisions {
            #expect(decision.annotator == "bot")
            #expect(decision.kind == .correct, "\(decision)")
            let answer = try #require(decision.label.flatMap { MultiLabelAnswer.decode($0, labels: Self.labels) }, "\(decision)")
            let externalId = externalIds[decision.itemId] ?? ""
            if externalId.hasPrefix("g"), let index = Int(externalId.dropFirst()) {
                #expect(answer == MultiLabelAnswer(gold[index], labels: Self.labels), "\(externalId): \(decision)")
            } else {
                #expect((1...2).contains(answer.names.count), "\(externalId): \(decision)")
            }
        }
        // The log lists each committed decision with its set as stored.
        let logged = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(logged.count == 8)
        #expect(logged.contains { $0.hasSuffix(#" correct ["fear","sadness"]"#) })
        #expect(logged.contains { $0.hasSuffix(" correct []") })
    }
}
