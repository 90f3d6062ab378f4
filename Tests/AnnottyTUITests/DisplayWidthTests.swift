import Testing
@testable import AnnottyTUI

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("a", 1), ("中", 2), ("한", 2), ("Ａ", 2), ("ｱ", 1), ("\u{3000}", 2),
        ("e\u{301}", 1), ("\u{5D0}\u{5B8}", 1), ("😀", 2), ("👍🏽", 2), ("👨‍👩‍👧", 2), ("🇫🇷", 2),
        ("❤️", 2), ("❤", 1), ("1️⃣", 2), ("⌚", 2), ("\u{1FAE8}", 2), ("\u{200B}", 0), ("\u{1100}\u{1161}\u{11A8}", 2),
        ("é", 1), ("\u{915}\u{93F}", 2),
    ] as [(String, Int)])
    func clusterWidth(text: String, width: Int) {
        #expect(DisplayWidth.of(Character(text)) == width, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test func stringWidthAddsClusters() {
        #expect(DisplayWidth.of("日本語 text 😀") == 14)
        #expect(DisplayWidth.of("cafe\u{301}") == 4)
    }

    @Test func combiningMarksAloneTakeNoColumn() {
        #expect(DisplayWidth.of("\u{301}" as Unicode.Scalar) == 0)
        #expect(DisplayWidth.of("\u{20DD}" as Unicode.Scalar) == 0)
    }

    @Test func loneRegionalIndicatorIsNarrow() {
        #expect(DisplayWidth.of(Character("\u{1F1EB}")) == 1)
    }

    /// glibc 2.36's answers for the scalars used below, so the test does not depend on the locale.
    static func glibcWidth(_ scalar: Unicode.Scalar) -> Int32 {
        switch scalar.value {
        case 0x300...0x36F, 0x200D, 0xFE0F, 0x20E3: return 0
        case 0x1F300...0x1F64F, 0x1F3FB...0x1F3FF, 0x4E00...0x9FFF: return 2
        default: return 1
        }
    }

    @Test func terminalCellsKeepClustersWhoseWidthsAgree() {
        let cells = TerminalCells.cells(for: Glyph("e\u{301}", width: 1), libcWidth: Self.glibcWidth)
        #expect(cells == [TerminalCells.Cell(scalars: ["e", "\u{301}"], width: 1)])
        let flag = TerminalCells.cells(for: Glyph("🇫🇷", width: 2), libcWidth: Self.glibcWidth)
        #expect(flag == [TerminalCells.Cell(scalars: ["\u{1F1EB}"], width: 1), TerminalCells.Cell(scalars: ["\u{1F1F7}"], width: 1)])
    }

    @Test func terminalCellsFallBackToTheBaseWhenTheCLibraryDisagrees() {
        // A ZWJ family is 6 columns to wcwidth but 2 to us: draw the first person only.
        let family = TerminalCells.cells(for: Glyph("👨‍👩‍👧", width: 2), libcWidth: Self.glibcWidth)
        #expect(family == [TerminalCells.Cell(scalars: ["\u{1F468}"], width: 2)])
        // ❤️ is 1 column to wcwidth but 2 to us: the heart and a space.
        let heart = TerminalCells.cells(for: Glyph("❤️", width: 2), libcWidth: Self.glibcWidth)
        #expect(heart == [TerminalCells.Cell(scalars: ["\u{2764}"], width: 1), TerminalCells.Cell(scalars: [" "], width: 1)])
    }
}
