import Foundation
import Testing
import AnnottyCore
@testable import AnnottyTUI

/// The multi-label screen as drawn: checkbox rows with each label's probability of being in the
/// set, the predicted-in marks, the set's confidence, and what the keys do, at 80x24 in ASCII.
@Suite struct MultiLabelViewTests {
    typealias F = MultiLabelFixtures

    func state(capabilities: TerminalCapabilities = .ascii, size: ScreenSize = ScreenSize(rows: 24, columns: 80),
               prediction: Prediction?, keys: [String] = [], allowEmptySet: Bool = true) -> LabelingState {
        let item = QueuedItem(item: Fixtures.item(5, "I passed the exam, but the interview scared me."), prediction: prediction)
        var state = LabelingState(setup: F.setup(allowEmptySet: allowEmptySet), size: size, capabilities: capabilities)
        state = LabelingReducer.reduce(state, .itemsClaimed([item], requested: 5, replacing: false, now: 100)).0
        for name in keys { state = LabelingReducer.reduce(state, .key(KeyPress(name: name)!, now: 101)).0 }
        return state
    }

    func rows(_ state: LabelingState) -> [String] {
        Fixtures.render(state).lines
    }

    /// The calibrated probabilities are shown, not the raw ones; the calibrated set is ticked and marked.
    @Test func eachLabelIsACheckboxRowWithItsCalibratedProbabilityAndTheMarkOfThePredictedSet() throws {
        let prediction = F.prediction(itemId: 5, [0.1, 0.6, 0.9, 0.2], calibrated: [0.05, 0.3, 0.85, 0.55])
        let screen = rows(state(prediction: prediction))
        let labelRows = screen.filter { $0.contains("[x]") || $0.contains("[ ]") }
        // Four labels fit one row at the left edge, which saves the item a row.
        #expect(labelRows.count == 1)
        let all = labelRows.joined(separator: "\n")
        #expect(all.contains("[ ] 1 anger 0.05 "))
        #expect(all.contains("[ ] 2 fear 0.30 "))
        #expect(all.contains("[x] 3 joy 0.85*"))
        #expect(all.contains("[x] 4 sadness 0.55*"))
        #expect(!all.contains("0.60"))
        let prelabel = try #require(screen.first { $0.contains("Pre-label") })
        // The set's confidence is its least settled label's: sadness, max(0.55, 0.45).
        #expect(prelabel.contains("> joy + sadness  0.55 "))
        #expect(screen.allSatisfy { $0.count <= 80 })
        #expect(screen.joined().unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func aToggleChangesTheTicksButNotTheMarksAndTheMessageSaysEnterSaves() throws {
        let prediction = F.prediction(itemId: 5, [0.1, 0.6, 0.9, 0.2])
        let screen = rows(state(prediction: prediction, keys: ["1", "3"]))
        let all = screen.joined(separator: "\n")
        #expect(all.contains("[x] 1 anger 0.10 "))
        #expect(all.contains("[x] 2 fear 0.60*"))
        #expect(all.contains("[ ] 3 joy 0.90*"))
        #expect(all.contains("unticked joy: anger + fear (Enter saves the set)"))
        let footer = try #require(screen.last)
        #expect(footer.contains("Enter save  1-4 toggle  s skip  u undo  f flag"))
        #expect(footer.contains("1-4 toggle"))
    }

    @Test func withoutAPrelabelTheRowsHaveNoNumbersAndThePrelabelLineSaysWhatToDo() throws {
        let screen = rows(state(prediction: nil, keys: ["2"]))
        let labelRows = screen.filter { $0.contains("[x]") || $0.contains("[ ]") }.joined(separator: "\n")
        #expect(labelRows.contains("[ ] 1 anger"))
        #expect(labelRows.contains("[x] 2 fear"))
        #expect(!labelRows.contains("0."))
        #expect(!labelRows.contains("*"))
        let all = screen.joined(separator: "\n")
        #expect(all.contains("none: tick the labels that apply, then Enter"))
    }

    @Test func monochromeUnicodeDrawsTheSameCheckboxes() throws {
        let prediction = F.prediction(itemId: 5, [0.1, 0.6, 0.9, 0.2])
        let all = rows(state(capabilities: .monochrome, prediction: prediction)).joined(separator: "\n")
        #expect(all.contains("[x] 3 joy 0.90*"))
        #expect(all.contains("▸ fear + joy  0.60"))
    }

    /// From 120 columns the labels are a side panel: one checkbox row each, names aligned.
    @Test func aWideWindowListsOneCheckboxRowPerLabelInThePanel() throws {
        let prediction = F.prediction(itemId: 5, [0.1, 0.6, 0.9, 0.2])
        let screen = rows(state(capabilities: .ascii, size: ScreenSize(rows: 30, columns: 130), prediction: prediction, keys: ["4"]))
        let panel = screen.compactMap { row -> String? in
            guard let range = row.range(of: "| [") else { return nil }
            return String(row[row.index(range.lowerBound, offsetBy: 2)...])
        }
        #expect(panel == ["[ ] 1 anger   0.10", "[x] 2 fear    0.60*", "[x] 3 joy     0.90*", "[x] 4 sadness 0.20"])
    }

    @Test func savedAndCorrectedSetsAreNamedOnTheStatusLine() throws {
        var state = state(prediction: F.prediction(itemId: 5, [0.1, 0.6, 0.9, 0.2]))
        state.message = .saved(itemId: 5, kind: .correct, label: F.encoded("anger", "joy"), prelabel: F.encoded("fear", "joy"))
        #expect(rows(state).joined().contains("ok item 5 corrected: fear + joy -> anger + joy"))
        state.message = .saved(itemId: 5, kind: .accept, label: F.encoded("fear", "joy"), prelabel: F.encoded("fear", "joy"))
        #expect(rows(state).joined().contains("ok item 5 accepted: fear + joy"))
        state.message = .saved(itemId: 5, kind: .correct, label: "[]", prelabel: nil)
        #expect(rows(state).joined().contains("ok item 5 saved: no label"))
        state.message = .undid(itemId: 5, kind: .correct, label: F.encoded("anger"))
        #expect(rows(state).joined().contains("undo undid item 5 (correct anger); that set is ticked again"))
    }

    @Test func theHelpSaysKeysToggleEnterSavesAndUndoRevertsAToggle() {
        let help = HelpOverlayView.lines(state(prediction: nil, allowEmptySet: false), width: 72)
            .map { $0.runs.map(\.glyphs.text).joined() }.joined(separator: " ")
        #expect(help.contains("ticks or unticks it"))
        #expect(help.contains("save the ticked set"))
        #expect(help.contains("at least one label must be ticked"))
        #expect(help.contains("revert the last toggle on this item"))
        #expect(help.contains("probability that the label"))
    }

    /// GoEmotions' 28 labels at 80x24: the table moves to the left edge, three to a row, so the
    /// item keeps seven rows.
    @Test func manyLabelsFitAnEightyByTwentyFourWindow() {
        let names = ["admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion", "curiosity",
                     "desire", "disappointment", "disapproval", "disgust", "embarrassment", "excitement", "fear",
                     "gratitude", "grief", "joy", "love", "nervousness", "optimism", "pride", "realization", "relief",
                     "remorse", "sadness", "surprise", "neutral"]
        let keys = Array("123456789abcdehijklmnprtvwxy").map(String.init)
        let labels = LabelSet(zip(names, keys).map { Label(name: $0, key: $1) })
        let setup = LabelingSetup(projectName: "GoEmotions", annotator: "alice", labels: labels,
                                  keymap: try! Keymap(labels: labels), task: .multi)
        var state = LabelingState(setup: setup, size: ScreenSize(rows: 24, columns: 80), capabilities: .ascii)
        state = LabelingReducer.reduce(state, .itemsClaimed([QueuedItem(item: Fixtures.item(1, "Thanks!"), prediction: nil)],
                                                            requested: 5, replacing: false, now: 1)).0
        let layout = LabelingLayout(state: state)
        #expect(layout.fits)
        #expect(layout.labelRows.flatMap { $0 } == Array(0..<28))
        #expect(layout.labelRows.count == 10)
        #expect(layout.checkboxGrid?.hasCaption == false)
        #expect(layout.item.rows == 7)
        let all = rows(state).joined(separator: "\n")
        #expect(all.contains("[ ] y neutral"))
        #expect(all.contains("[ ] 9 desire"))
        let first = rows(state)[layout.prelabelRow + 1]
        #expect(first.hasPrefix(" [ ] 1 admiration"))
        #expect(first.count <= 79)
    }
}
