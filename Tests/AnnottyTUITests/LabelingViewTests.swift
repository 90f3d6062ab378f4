import Testing
import AnnottyCore
@testable import AnnottyTUI

/// Renders states to the memory screen and compares the exact text, row by row.
@Suite struct LabelingViewTests {
    func expectScreen(_ state: LabelingState, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = Fixtures.render(state).text
        let actualRows = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedRows = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(actualRows.count, expectedRows.count) {
            let got = index < actualRows.count ? String(actualRows[index]) : "<none>"
            let want = index < expectedRows.count ? String(expectedRows[index]) : "<none>"
            if got != want {
                Issue.record("row \(index) differs\n got: \(got)\nwant: \(want)", sourceLocation: sourceLocation)
                return
            }
        }
    }

    @Test func aLongItemWrapsAtWordsAndShowsWhereTheScrollIs() {
        expectScreen(ViewScenarios.longItem(), """
         annotty · Phone reviews                                item 42 (r0042) · alice

         Long review. The blender is loud but it crushes ice in seconds, and the jar
         survived a fall onto tiles. The blender is loud but it crushes ice in seconds,
         and the jar survived a fall onto tiles. The blender is loud but it crushes ice
         in seconds, and the jar survived a fall onto tiles. The blender is loud but it
         crushes ice in seconds, and the jar survived a fall onto tiles. The blender is
         loud but it crushes ice in seconds, and the jar survived a fall onto tiles.
         The blender is loud but it crushes ice in seconds, and the jar survived a fall
         onto tiles. The blender is loud but it crushes ice in seconds, and the jar
         survived a fall onto tiles. The blender is loud but it crushes ice in seconds,
         and the jar survived a fall onto tiles. The blender is loud but it crushes ice
         in seconds, and the jar survived a fall onto tiles. The blender is loud but it
         crushes ice in seconds, and the jar survived a fall onto tiles. The blender is
         loud but it crushes ice in seconds, and the jar survived a fall onto tiles.
         The blender is loud but it crushes ice in seconds, and the jar survived a fall
         onto tiles. The blender is loud but it crushes ice in seconds, and the jar
         ↓ lines 1-15 of 22 · Down/Up scroll
        ────────────────────────────────────────────────────────────────────────────────
         Pre-label  ▸ neutral  0.55 █████▌░░░░  from the LLM
         Labels     1 positive   2 negative   3 neutral

         you 0 · project 180/300 (60%) · -/h · auto 0 · queue 0 · LLM off
         Enter accept  1-3 label  s skip  u undo  f flag  g guidelines  ? help  q quit
        """)
    }

    @Test func aScrolledItemShowsItsLastLinesAndPointsUp() {
        expectScreen({ var state = ViewScenarios.longItem(); state.itemScroll = 7; return state }(), """
         annotty · Phone reviews                                item 42 (r0042) · alice

         onto tiles. The blender is loud but it crushes ice in seconds, and the jar
         survived a fall onto tiles. The blender is loud but it crushes ice in seconds,
         and the jar survived a fall onto tiles. The blender is loud but it crushes ice
         in seconds, and the jar survived a fall onto tiles. The blender is loud but it
         crushes ice in seconds, and the jar survived a fall onto tiles. The blender is
         loud but it crushes ice in seconds, and the jar survived a fall onto tiles.
         The blender is loud but it crushes ice in seconds, and the jar survived a fall
         onto tiles. The blender is loud but it crushes ice in seconds, and the jar
         survived a fall onto tiles. The blender is loud but it crushes ice in seconds,
         and the jar survived a fall onto tiles. The blender is loud but it crushes ice
         in seconds, and the jar survived a fall onto tiles. The blender is loud but it
         crushes ice in seconds, and the jar survived a fall onto tiles. The blender is
         loud but it crushes ice in seconds, and the jar survived a fall onto tiles.
         The blender is loud but it crushes ice in seconds, and the jar survived a fall
         onto tiles.
         ↑ lines 8-22 of 22 · Down/Up scroll
        ────────────────────────────────────────────────────────────────────────────────
         Pre-label  ▸ neutral  0.55 █████▌░░░░  from the LLM
         Labels     1 positive   2 negative   3 neutral

         you 0 · project 180/300 (60%) · -/h · auto 0 · queue 0 · LLM off
         Enter accept  1-3 label  s skip  u undo  f flag  g guidelines  ? help  q quit
        """)
    }

    @Test func cjkEmojiAndCombiningMarksTakeTheirRealWidths() {
        expectScreen(ViewScenarios.scripts(), """
         annotty · Phone reviews                                         item 7 · alice

         東京の新しいカフェはとても静かで、コーヒーが美味しかったです。店員さんも親切で
         した。 Emoji: 😀👍🏽 family 👨‍👩‍👧 flag 🇯🇵 heart ❤️ and café naïve (é), 한국어 리뷰
         도 좋아요!













        ────────────────────────────────────────────────────────────────────────────────
         Pre-label  ▸ positive  0.93 █████████▎  LLM and task learner agree
         Labels     1 positive   2 negative   3 neutral

         you 0 · project 180/300 (60%) · -/h · auto 0 · queue 0 · LLM off
         Enter accept  1-3 label  s skip  u undo  f flag  g guidelines  ? help  q quit
        """)
    }

    @Test func escapeSequencesInTheItemAndTheModelsAnswerAreShownNotSent() {
        expectScreen(ViewScenarios.hostile(), """
         annotty · Phone reviews                                         item 8 · alice

         Nice␛[2J␛[31m case␛]0;owned␇ <RLO>dneirf<PDF> tab   here␍over <9B>6n end␈















        ────────────────────────────────────────────────────────────────────────────────
         Pre-label  none: the model's answer is unusable: answer was "␛[5mBLINK␛[0m"
         Labels     1 positive   2 negative   3 neutral

         you 0 · project 180/300 (60%) · -/h · auto 0 · queue 0 · LLM off
         Enter accept  1-3 label  s skip  u undo  f flag  g guidelines  ? help  q quit
        """)
    }

    @Test func withoutUnicodeEverythingIsASCII() {
        expectScreen(ViewScenarios.hostile(.ascii), """
         annotty | Phone reviews                                         item 8 | alice

         Nice^[[2J^[[31m case^[]0;owned^G <RLO>dneirf<PDF> tab   here^Mover <9B>6n
         end^H














        --------------------------------------------------------------------------------
         Pre-label  none: the model's answer is unusable: answer was "^[[5mBLINK^[[0m"
         Labels     1 positive   2 negative   3 neutral

         you 0 | project 180/300 (60%) | -/h | auto 0 | queue 0 | LLM off
         Enter accept  1-3 label  s skip  u undo  f flag  g guidelines  ? help  q quit
        """)
    }

    @Test func an80x24ScreenListsTheLabelsUnderThePrelabel() {
        expectScreen(ViewScenarios.pair(size: ScreenSize(rows: 24, columns: 80)), """
         annotty · Phone reviews                                item 314 (p031) · alice

         text
         The bridge was built in 1932 and renovated in 2005, when its wooden deck was
         replaced with steel.

         hypothesis
         The bridge is older than the renovation.










        ────────────────────────────────────────────────────────────────────────────────
         Pre-label  ▸ positive  0.87 ████████▊░  from the LLM
         Labels     1 positive   2 negative   3 neutral
         ✓ item 313 corrected: neutral → negative
         you 11 · project 210/500 (42%) · 120/h · auto 41 · queue 3 · LLM slow (2.4 s)
         Enter accept  1-3 label  s skip  u undo  f flag  g guidelines  ? help  q quit
        """)
    }

    @Test func a200x60ScreenPutsTheLabelDefinitionsBesideTheItem() {
        expectScreen(ViewScenarios.pair(size: ScreenSize(rows: 60, columns: 200)), """
         annotty · Phone reviews                                                                                                                                                        item 314 (p031) · alice

         text                                                                                                                                     │ Labels
         The bridge was built in 1932 and renovated in 2005, when its wooden deck was replaced with steel.                                        │
                                                                                                                                                  │ 1 positive  ▸ pre-label
         hypothesis                                                                                                                               │     The reviewer is pleased with the product and would
         The bridge is older than the renovation.                                                                                                 │     recommend it.
                                                                                                                                                  │
                                                                                                                                                  │ 2 negative
                                                                                                                                                  │     The reviewer is unhappy: it broke, disappointed, or
                                                                                                                                                  │     they want a refund.
                                                                                                                                                  │
                                                                                                                                                  │ 3 neutral
                                                                                                                                                  │     No clear attitude, a mixed verdict, or only facts.
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
                                                                                                                                                  │
        ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
         Pre-label  ▸ positive  0.87 ████████▊░  from the LLM
         ✓ item 313 corrected: neutral → negative
         you 11 · project 210/500 (42%) · 120/h · auto 41 · queue 3 · LLM slow (2.4 s)
         Enter accept  1-3 label  s skip  u undo  f flag  g guidelines  ? help  q quit
        """)
    }

    @Test func theHelpOverlayListsEveryKeyFromTheTable() {
        // The overlay is taller than 24 rows now that it explains the confidence: it scrolls.
        expectScreen(ViewScenarios.help(), """
         annotty · Phone reviews                                item 314 (p031) · alice
          ┌─ Keys ───────────────────────────────────────────────────────────────────┐
         t│ Enter, Space  accept the pre-label                                       │
         T│ s             skip this item (it stays open for others)                  │
         r│ u             undo the last decision; repeat to go further back          │
          │ f             flag this item, with an optional note                      │
         h│ g             show the annotation guidelines                             │
         T│ ?, F1         show or hide this help                                     │
          │ q, Ctrl+c     quit; every decision is already saved                      │
          │ Down, j       scroll a long item down                                    │
          │ Up, k         scroll a long item up                                      │
          │ PgDn          scroll a page down                                         │
          │ PgUp          scroll a page up                                           │
          │ o             take the other opinion when LLM and learner disagree       │
          │                                                                          │
          │ Labels: the pre-label's own key accepts it, any other corrects it.       │
          │ 1             label as positive                                          │
          │ 2             label as negative                                          │
        ──│ 3             label as neutral                                           │──
         P│                                                                          │
         L│ The number beside the pre-label is its confidence: calibrated on the     │
         ✓│ labels people gave (how often pre-labels shown with that number were     │
         y└───────────────────────────────────────── Down scrolls · Esc or ? closes ─┘
         Enter accept  1-3 label  s skip  u undo  f flag  g guidelines  ? help  q quit
        """)
    }

    @Test func aTooSmallWindowSaysWhatSizeItNeeds() {
        expectScreen(ViewScenarios.tooSmall(), """



         This window is 40x10. annotty needs at
         least 50x12. Make it larger; your work
                       is saved.
        """)
    }

    @Test func monochromeDrawsTheSameText() {
        expectScreen(ViewScenarios.pair(size: ScreenSize(rows: 24, columns: 80), capabilities: .monochrome), """
         annotty · Phone reviews                                item 314 (p031) · alice

         text
         The bridge was built in 1932 and renovated in 2005, when its wooden deck was
         replaced with steel.

         hypothesis
         The bridge is older than the renovation.










        ────────────────────────────────────────────────────────────────────────────────
         Pre-label  ▸ positive  0.87 ████████▊░  from the LLM
         Labels     1 positive   2 negative   3 neutral
         ✓ item 313 corrected: neutral → negative
         you 11 · project 210/500 (42%) · 120/h · auto 41 · queue 3 · LLM slow (2.4 s)
         Enter accept  1-3 label  s skip  u undo  f flag  g guidelines  ? help  q quit
        """)
    }

    /// The attributes of each cell of a row, as the palette gives them for the screen.
    func attributes(_ screen: MemoryScreen, row: Int, colors: Bool) -> [TextAttributes] {
        (0..<screen.size.columns).map { StylePalette.attributes(for: screen.role(row: row, column: $0), colors: colors) }
    }

    @Test func monochromeUsesNoColourAndMarksWithReverseBoldAndUnderline() {
        let state = ViewScenarios.pair(size: ScreenSize(rows: 24, columns: 80), capabilities: .monochrome)
        let screen = Fixtures.render(state)
        for row in 0..<24 {
            #expect(attributes(screen, row: row, colors: false).allSatisfy { !$0.usesColor }, "row \(row)")
        }
        // Title and status bars in reverse video, the pre-label bold and underlined, here and in the list.
        #expect(attributes(screen, row: 0, colors: false).allSatisfy { $0.reverse })
        #expect(attributes(screen, row: 22, colors: false).allSatisfy { $0.reverse })
        let prelabel = attributes(screen, row: 19, colors: false)
        #expect(prelabel[14] == TextAttributes(bold: true, underline: true))  // "positive" after "Pre-label  ▸ "
        let list = attributes(screen, row: 20, colors: false)
        #expect(list[14] == TextAttributes(bold: true, underline: true))  // "positive" after "1 "
        #expect(list[27] == TextAttributes())  // "negative"
        #expect(list[12] == TextAttributes(bold: true))  // its key
    }

    @Test func colourTerminalsGetColouredRoles() {
        let screen = Fixtures.render(ViewScenarios.pair(size: ScreenSize(rows: 24, columns: 80)))
        #expect(attributes(screen, row: 0, colors: true)[3] == TextAttributes(bold: true, foreground: .white, background: .blue))
        #expect(screen.role(row: 19, column: 33) == .confidenceHigh)  // the bar of 0.87
        #expect(screen.role(row: 22, column: 66) == .statusWarning)  // "LLM slow"
    }

    @Test func placeholdersAreDrawnInTheirOwnStyle() {
        let screen = Fixtures.render(ViewScenarios.hostile())
        #expect(screen.lines[2].hasPrefix(" Nice␛"))
        #expect(screen.role(row: 2, column: 5) == .placeholder)
        #expect(screen.role(row: 2, column: 4) == .normal)
    }

    @Test func aWideCharacterIsNeverCutAtTheRightEdge() {
        // 50 columns leave 48 for text: 24 ideographs fill a line exactly, a space shifts the
        // 25th to the next line whole.
        var state = Fixtures.state(size: ScreenSize(rows: 24, columns: 50),
                                   current: QueuedItem(item: Fixtures.item(1, "a" + String(repeating: "漢", count: 30)), prediction: nil))
        state.message = nil
        let screen = Fixtures.render(state)
        #expect(screen.lines[2] == " a" + String(repeating: "漢", count: 23))
        #expect(screen.lines[3] == " " + String(repeating: "漢", count: 7))
    }
}
