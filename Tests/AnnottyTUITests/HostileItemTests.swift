import Foundation
import Testing
import AnnottyCore
@testable import AnnottyTUI

/// Items built to hurt: one enormous word, a line of tabs. A key press must still be answered
/// at once, so rendering may not grow with the item's size.
@Suite struct HostileItemTests {
    func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now()
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    @Test func aTwentyMegabyteWordRendersInWellUnderASecond() {
        let size = 20 << 20
        let word = String(repeating: "x", count: size)
        let state = Fixtures.state(current: QueuedItem(item: Fixtures.item(1, word), prediction: nil))
        var screen: MemoryScreen?
        let elapsed = seconds { screen = Fixtures.render(state) }
        #expect(elapsed < 1, "rendering took \(elapsed) s")
        let text = screen!.text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // The item area starts with full rows of the word, cut to the width.
        #expect(lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix(String(repeating: "x", count: 70)) }.count >= 5, "\(text)")
        let laidOut = ItemView.contentLines(state, width: 80)
        let shownCharacters = laidOut.filter { $0.runs.first?.role == .normal }.map { $0.runs.map { $0.glyphs.text }.joined().count }
        #expect(shownCharacters.reduce(0, +) == ItemView.layoutBudgetCharacters)
        let omitted = size - ItemView.layoutBudgetCharacters
        let marker = laidOut.filter { $0.runs.first?.role == .dim }.map { $0.runs.map { $0.glyphs.text }.joined() }.joined(separator: " ")
        #expect(marker.contains(ItemView.groupedDigits(omitted) + " more bytes not shown"), "\(marker)")
    }

    @Test func scrollingAHugeItemStaysFast() {
        let word = String(repeating: "y", count: 20 << 20)
        var state = Fixtures.state(current: QueuedItem(item: Fixtures.item(1, word), prediction: nil))
        let elapsed = seconds {
            state.itemScroll = ItemView.maximumScroll(state)
            _ = Fixtures.render(state)
        }
        #expect(elapsed < 1, "scrolling to the end took \(elapsed) s")
        #expect(Fixtures.render(state).text.contains("more bytes not shown"))
    }

    @Test func wrappingALongWordIsLinear() {
        // 200,000 characters without a space: quadratic wrapping took minutes.
        let glyphs = Glyph.ascii(String(repeating: "z", count: 200_000))
        var lines: [[Glyph]] = []
        let elapsed = seconds { lines = TextWrapper.wrap(paragraph: glyphs, width: 80) }
        // Generous for a loaded machine (0.2 s quiet, 1.2 s beside the whole suite, debug); the
        // quadratic tokenizer copied 2 * 10^10 glyphs here.
        #expect(elapsed < 5, "wrapping took \(elapsed) s")
        #expect(lines.count == 2_500)
        #expect(lines.allSatisfy { $0.count == 80 })
    }

    @Test func aLineOfTabsIsLinear() {
        let text = String(repeating: "\t", count: 30_000) + "end"
        var paragraphs: [[Glyph]] = []
        let elapsed = seconds { paragraphs = InertText(unicode: true).paragraphs(text) }
        #expect(elapsed < 1, "expanding tabs took \(elapsed) s")
        #expect(paragraphs[0].count == 30_000 * 4 + 3)
    }

    @Test func theMarkerIsAbsentWhenTheItemFits() {
        let state = Fixtures.state(current: QueuedItem(item: Fixtures.item(1, "short text"), prediction: nil))
        #expect(!Fixtures.render(state).text.contains("not shown"))
    }
}
