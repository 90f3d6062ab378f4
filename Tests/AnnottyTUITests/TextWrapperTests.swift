import Testing
@testable import AnnottyTUI

@Suite struct TextWrapperTests {
    func wrap(_ text: String, _ width: Int) -> [String] {
        TextWrapper.wrap(InertText(unicode: true).paragraphs(text), width: width).map(\.text)
    }

    @Test func wrapsAtWordBoundaries() {
        #expect(wrap("the quick brown fox jumps over the lazy dog", 15) == ["the quick brown", "fox jumps over", "the lazy dog"])
    }

    @Test func aWordLongerThanTheLineIsCut() {
        #expect(wrap("see https://example.com/a/very/long/path ok", 12) == ["see", "https://exam", "ple.com/a/ve", "ry/long/path", "ok"])
    }

    @Test func cjkBreaksBetweenCharactersAndNeverHalvesOne() {
        // Width 7: three ideographs take 6 columns; the fourth would need columns 7-8.
        #expect(wrap("日本語の文章です", 7) == ["日本語", "の文章", "です"])
    }

    @Test func keepsParagraphsAndEmptyLines() {
        #expect(wrap("first\n\nsecond", 20) == ["first", "", "second"])
    }

    @Test func dropsSpacesAtWrapPoints() {
        #expect(wrap("aaaa    bbbb", 6) == ["aaaa", "bbbb"])
    }

    @Test func everyLineFitsItsWidth() {
        let text = "Mixed 中文 and emoji 😀😀😀 with e\u{301} and long-wordwithoutanyspacesatall, then more text."
        for width in 2...30 {
            let lines = TextWrapper.wrap(InertText(unicode: true).paragraphs(text), width: width)
            #expect(lines.allSatisfy { $0.width <= width }, "width \(width)")
            #expect(lines.flatMap { $0 }.filter { $0.text != " " }.map(\.text).joined()
                == text.filter { $0 != " " }.map(String.init).joined(), "width \(width)")
        }
    }
}
