import Foundation
import Testing
import AnnottyCore
@testable import AnnottyTUI

/// One inert-text policy for the screen and the plain CLI output, and a title bar that long or
/// hostile ids cannot empty or take over.
@Suite struct InertPolicyTests {
    static let unsafeSamples: [Unicode.Scalar] = (0x00...0x1F).compactMap(Unicode.Scalar.init)
        + (0x7F...0x9F).compactMap(Unicode.Scalar.init) + TerminalSafeText.bidiControlNames.keys.compactMap(Unicode.Scalar.init)

    @Test func theScreenAndTheCommandLineReplaceTheSameScalarsTheSameWay() {
        for unicode in [true, false] {
            let inert = InertText(unicode: unicode)
            for scalar in Self.unsafeSamples where !["\n", "\t", "\r", "\u{85}"].contains(scalar) {
                let onScreen = inert.line("a" + String(scalar) + "b").text
                let onCommandLine = "a" + TerminalSafeText.placeholder(for: scalar, unicode: unicode) + "b"
                #expect(onScreen == onCommandLine, "U+\(String(scalar.value, radix: 16))")
                #expect(TerminalSafeText.sanitize("a" + String(scalar) + "b", unicode: unicode) == onCommandLine)
            }
        }
    }

    @Test func nothingUnsafeSurvivesTheCommandLinePolicy() {
        let hostile = "a\u{1B}]0;T\u{07}b\u{9B}31m\u{202E}x\r\ny\rz"
        let safe = TerminalSafeText.sanitize(hostile)
        #expect(!safe.unicodeScalars.contains { TerminalSafeText.mustNotReachTerminal($0) && $0 != "\n" })
        #expect(safe == "a␛]0;T␇b<9B>31m<RLO>x\ny␍z")
        #expect(TerminalSafeText.singleLine("a\u{1B}]0;T\u{07}", limit: 40) == "a␛]0;T␇")
    }

    @Test func singleLineOfAHugeTextOnlyReadsItsStart() {
        let huge = String(repeating: "w", count: 20 << 20)
        let start = DispatchTime.now()
        let line = TerminalSafeText.singleLine(huge, limit: 100)
        #expect(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 < 0.5)
        #expect(line == String(repeating: "w", count: 99) + "…")
    }

    func titleBar(externalId: String, annotator: String = "alice", columns: Int = 80) -> String {
        var setup = Fixtures.setup()
        setup.annotator = annotator
        let state = Fixtures.state(size: ScreenSize(rows: 24, columns: columns),
                                   current: QueuedItem(item: Fixtures.item(7, "text", externalId: externalId), prediction: nil),
                                   setup: setup)
        return String(Fixtures.render(state).text.split(separator: "\n", omittingEmptySubsequences: false)[0])
    }

    @Test func aThreeHundredCharacterIdIsCutAndTheBarKeepsItsParts() {
        let bar = titleBar(externalId: String(repeating: "i", count: 300))
        #expect(bar.hasPrefix(" annotty · Phone reviews"), "\(bar)")
        #expect(bar.contains("item 7 (iii"), "\(bar)")
        #expect(bar.contains("…) · alice"), "\(bar)")
        #expect(bar.hasSuffix("…) · alice"), "\(bar)")
    }

    @Test func aHostileIdAndAnnotatorAreShownInert() {
        let bar = titleBar(externalId: "x\u{1B}]0;pwned\u{07}", annotator: "a\u{1B}[2J")
        #expect(!bar.unicodeScalars.contains { TerminalSafeText.mustNotReachTerminal($0) })
        #expect(bar.contains("item 7 (x␛]0;pwned␇) · a␛[2J"), "\(bar)")
    }

    @Test func aHugeAnnotatorNameIsCutToo() {
        let bar = titleBar(externalId: String(repeating: "i", count: 300), annotator: String(repeating: "n", count: 300))
        #expect(bar.contains("item 7 ("), "\(bar)")
        #expect(bar.contains("…) · nnn"), "\(bar)")
        #expect(bar.hasPrefix(" annotty · Phone reviews"), "\(bar)")
        #expect(bar.hasSuffix("n…"), "\(bar)")
    }
}
