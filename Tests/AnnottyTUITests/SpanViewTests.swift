import Foundation
import Testing
import AnnottyCore
@testable import AnnottyTUI

@Suite struct SpanViewTests {
    typealias F = SpanFixtures

    func state(capabilities: TerminalCapabilities = .full, size: ScreenSize = ScreenSize(rows: 24, columns: 80),
               text: String = F.text, prediction: Prediction?? = nil, keys: [KeyPress] = []) -> LabelingState {
        let item = QueuedItem(item: Fixtures.item(1, text),
                              prediction: prediction ?? F.prediction(itemId: 1, F.proposal, id: 41))
        var state = LabelingState(setup: F.setup(), size: size, capabilities: capabilities)
        state = LabelingReducer.reduce(state, .started(now: 100)).0
        state = LabelingReducer.reduce(state, .itemsClaimed([item], requested: 5, replacing: false, now: 100)).0
        for key in keys { state = LabelingReducer.reduce(state, .key(key, now: 101)).0 }
        return state
    }

    @Test func proposalsAreInBracesAndAcceptedSpansInBracketsWithTheirTypes() {
        let screen = Fixtures.render(state(capabilities: .ascii, keys: [.tab, .character("y")]))
        let text = screen.text
        #expect(text.contains("[Boris Johnson]PER met {Angela Merkel}ORG in {Berlin}LOC on Monday ."))
        #expect(text.contains("Pre-label  > 3 spans, 2 unchecked  least sure 0.55"))
        #expect(!text.unicodeScalars.contains { !$0.isASCII })
    }

    @Test func eachTypeHasItsOwnColourAndProposalsAreUnderlined() {
        let screen = Fixtures.render(state(keys: [.tab, .character("y"), .escape]))
        let row = screen.lines.firstIndex { $0.contains("[Boris Johnson]PER") }!
        let column = screen.lines[row].distance(from: screen.lines[row].startIndex,
                                                to: screen.lines[row].range(of: "[Boris")!.lowerBound)
        #expect(screen.role(row: row, column: column) == .entity0)
        let berlin = screen.lines[row].distance(from: screen.lines[row].startIndex,
                                                to: screen.lines[row].range(of: "{Berlin")!.lowerBound)
        #expect(screen.role(row: row, column: berlin) == .proposedEntity2)
        #expect(StylePalette.attributes(for: .entity0, colors: true).foreground != StylePalette.attributes(for: .entity1, colors: true).foreground)
        // Monochrome: accepted bold, proposed underlined; the brackets already tell them apart.
        #expect(StylePalette.attributes(for: .entity1, colors: false) == TextAttributes(bold: true))
        #expect(StylePalette.attributes(for: .proposedEntity3, colors: false) == TextAttributes(underline: true))
    }

    @Test func theFocusedSpanAndTheWordCursorAreShownInReverse() {
        let focused = Fixtures.render(state(keys: [.tab]))
        let row = focused.lines.firstIndex { $0.contains("{Boris Johnson}PER") }!
        #expect(focused.roleRuns(row: row).first { $0.role == .selection }?.columns == "{Boris Johnson}PER".count)
        // Right three times from nothing: the third word, "met", under the cursor.
        let cursor = Fixtures.render(state(keys: [.right, .right, .right]))
        let cursorRow = cursor.lines.firstIndex { $0.contains(" met ") }!
        let met = cursor.lines[cursorRow].distance(from: cursor.lines[cursorRow].startIndex,
                                                   to: cursor.lines[cursorRow].range(of: " met ")!.lowerBound) + 1
        #expect((met..<(met + 3)).allSatisfy { cursor.role(row: cursorRow, column: $0) == .selection })
        #expect(cursor.role(row: cursorRow, column: met + 3) != .selection)
        #expect(cursor.role(row: cursorRow, column: met - 1) != .selection)
        // A word inside a span is shown under the cursor too.
        let inside = Fixtures.render(state(keys: [.right]))
        let line = inside.lines[cursorRow]
        let boris = line.distance(from: line.startIndex, to: line.range(of: "Boris")!.lowerBound)
        #expect(inside.role(row: cursorRow, column: boris) == .selection)
        #expect(inside.role(row: cursorRow, column: boris + 6) != .selection)
    }

    @Test func aSpanIsNeverSplitFromItsMarkerWhenWrapping() {
        let words = Array(repeating: "word", count: 13).joined(separator: " ")
        let text = words + " United Nations Security Council met ."
        let start = words.unicodeScalars.count + 1
        let council = F.span(start, start + 31, "ORG", in: text)
        let prediction = F.prediction(itemId: 1, [(council, 0.7)])
        for columns in [40, 50, 60, 80] {
            let lines = SpanTextLayout.lines(editor: SpanEditor(itemId: 1, text: text, proposed: [(council, 0.7)], unicode: false),
                                             labels: F.labels, unicode: false, width: columns).map { $0.runs.flatMap(\.glyphs).text }
            #expect(lines.contains { $0.contains("{United Nations Security Council}ORG") }, "width \(columns): \(lines)")
            #expect(lines.allSatisfy { $0.count <= columns })
        }
        // On the real screen at 80x24 too.
        let screen = Fixtures.render(state(capabilities: .ascii, text: text, prediction: prediction))
        #expect(screen.text.contains("{United Nations Security Council}ORG met ."))
    }

    @Test func aSpanWiderThanTheLineIsCutRatherThanLost() {
        let text = "The Long Official Name Of A Very Large Organisation Indeed ."
        let span = F.span(4, 58, "ORG", in: text)
        let lines = SpanTextLayout.lines(editor: SpanEditor(itemId: 1, text: text, proposed: [(span, 0.5)], unicode: false),
                                         labels: F.labels, unicode: false, width: 20).map { $0.runs.flatMap(\.glyphs).text }
        #expect(lines.joined().contains("{Long Official Name Of A Very Large Organisation Indeed}ORG"))
        #expect(lines.allSatisfy { $0.count <= 20 })
    }

    @Test func untrustedTextInsideASpanCannotReachTheTerminal() {
        let text = "Evil\u{1B}[2J Corp said so ."
        let span = F.span(0, 8, "ORG", in: text)
        let screen = Fixtures.render(state(capabilities: .ascii, text: text, prediction: F.prediction(itemId: 1, [(span, 0.6)])))
        #expect(!screen.text.contains("\u{1B}"))
        #expect(screen.text.contains("{Evil"))
        #expect(screen.text.contains("}ORG Corp said so ."))
    }

    @Test func theFooterAndHelpNameTheSpanKeysAt80Columns() {
        let screen = Fixtures.render(state(capabilities: .ascii))
        let footer = screen.lines[23]
        for hint in ["Enter save", "<-/-> word", "> extend", "1-4 type", "Tab span", "y ok", "x reject", "u undo", "? help"] {
            #expect(footer.contains(hint), "footer: \(footer)")
        }
        let help = HelpOverlayView.lines(state(capabilities: .ascii), width: 72).map { $0.runs.flatMap(\.glyphs).text }.joined(separator: "\n")
        for text in ["move the word cursor", "extend the selection", "accept every proposal", "undo the last span edit",
                     "{text}TYPE is a proposal"] {
            #expect(help.contains(text), "help lacks \(text)")
        }
    }

    @Test func withoutAPrelabelThePrelabelLineSaysHowToMarkSpans() {
        let screen = Fixtures.render(state(capabilities: .ascii, prediction: .some(nil)))
        #expect(screen.text.contains("Pre-label  none: select words, a type key marks them, Enter saves"))
        #expect(screen.text.contains("Boris Johnson met Angela Merkel in Berlin on Monday ."))
    }
}
