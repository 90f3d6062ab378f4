import Testing
@testable import AnnottyTUI

@Suite struct InertTextTests {
    let unicode = InertText(unicode: true)
    let ascii = InertText(unicode: false)

    @Test func escapeSequencesBecomeVisiblePictures() {
        let glyphs = unicode.line("a\u{1B}[31mred\u{1B}]0;title\u{7}")
        #expect(glyphs.text == "a␛[31mred␛]0;title␇")
        #expect(glyphs.filter(\.isPlaceholder).map(\.text) == ["␛", "␛", "␇"])
        #expect(!glyphs.text.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func bidirectionalOverridesAreNamed() {
        #expect(unicode.line("abc\u{202E}def\u{202C}\u{2066}x\u{2069}").text == "abc<RLO>def<PDF><LRI>x<PDI>")
    }

    @Test func c1ControlsAndDeleteAreShownByCode() {
        #expect(unicode.line("a\u{9B}b\u{7F}c").text == "a<9B>b␡c")
        #expect(ascii.line("a\u{9B}b\u{7F}c\u{1B}").text == "a<9B>b^?c^[")
    }

    @Test func lineBreaksSplitParagraphsAndALoneCarriageReturnIsShown() {
        let paragraphs = unicode.paragraphs("one\ntwo\r\nthree\rfour")
        #expect(paragraphs.map(\.text) == ["one", "two", "three␍four"])
    }

    @Test func tabsBecomeSpacesToTheNextStop() {
        #expect(unicode.line("ab\tc").text == "ab  c")
    }

    @Test func invisibleFormatCharactersAndLoneMarksAreMadeVisible() {
        #expect(unicode.line("a\u{200B}b").text == "a<200B>b")
        #expect(unicode.line("\u{301}x").text == "\u{25CC}\u{301}x")
    }

    @Test func withoutUnicodeTextBecomesASCII() {
        #expect(ascii.line("café “quoted” — 中文 😀").text == "cafe \"quoted\" -- ?? ?")
        #expect(ascii.line("naïve Ångström").text == "naive Angstrom")
    }

    @Test func emojiAndCJKKeepTheirWidths() {
        let glyphs = unicode.line("中a😀")
        #expect(glyphs.map(\.width) == [2, 1, 2])
    }
}
