import AnnottyCore

/// Turns untrusted text (an item, an LLM answer, a file name) into glyphs that cannot act on the
/// terminal, by the one policy of `TerminalSafeText` (which scalars are unsafe, what replaces
/// them), applied here cluster by cluster with widths. Escape sequences, other C0/C1 controls, bidirectional overrides and invisible format
/// characters become visible placeholders; line breaks split paragraphs; tabs become spaces.
/// When the terminal cannot show Unicode, everything outside ASCII becomes an ASCII look-alike
/// or `?`.
public struct InertText: Sendable {
    public var unicode: Bool
    public var tabWidth: Int

    public init(unicode: Bool, tabWidth: Int = 4) {
        self.unicode = unicode
        self.tabWidth = tabWidth
    }

    /// The text split at line breaks, each paragraph as glyphs.
    public func paragraphs(_ text: String) -> [[Glyph]] {
        var paragraphs: [[Glyph]] = []
        var current: [Glyph] = []
        var column = 0
        for character in text {
            if Self.isLineBreak(character) {
                paragraphs.append(current)
                current = []
                column = 0
            } else {
                append(character, to: &current, column: &column)
            }
        }
        paragraphs.append(current)
        return paragraphs
    }

    /// The text on one line: line breaks become a visible `↵` (or `|`).
    public func line(_ text: String) -> [Glyph] {
        var glyphs: [Glyph] = []
        var column = 0
        for character in text {
            if Self.isLineBreak(character) {
                glyphs.append(Glyph(unicode ? "↵" : "|", width: 1, isPlaceholder: true))
                column += 1
            } else {
                append(character, to: &glyphs, column: &column)
            }
        }
        return glyphs
    }

    static func isLineBreak(_ character: Character) -> Bool {
        character == "\n" || character == "\r\n" || character == "\u{2028}" || character == "\u{2029}"
            || character == "\u{85}"
    }

    /// Appends the glyphs for `character`; `column` is the width of the paragraph so far, kept
    /// by the caller so that a tab need not measure the whole line (quadratic on a line of tabs).
    func append(_ character: Character, to glyphs: inout [Glyph], column: inout Int) {
        let countBefore = glyphs.count
        appendGlyphs(character, to: &glyphs, column: column)
        for index in countBefore..<glyphs.count { column += glyphs[index].width }
    }

    private func appendGlyphs(_ character: Character, to glyphs: inout [Glyph], column: Int) {
        // Most text is printable ASCII: one column, nothing to check.
        if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F {
            glyphs.append(Glyph(String(character), width: 1))
            return
        }
        let scalars = character.unicodeScalars
        if character == "\t" {
            let spaces = tabWidth - (column % tabWidth)
            glyphs.append(contentsOf: Array(repeating: Glyph.space, count: spaces))
            return
        }
        // Controls always form clusters of their own, but check every scalar anyway: a cluster
        // that hides one is taken apart and each scalar judged alone.
        if scalars.contains(where: Self.mustNotReachTerminal) {
            if scalars.count == 1 {
                glyphs.append(contentsOf: placeholder(for: scalars.first!))
            } else {
                var scalarColumn = column
                for scalar in scalars { append(Character(scalar), to: &glyphs, column: &scalarColumn) }
            }
            return
        }
        if scalars.first?.value == 0xAD { return }  // a soft hyphen only marks where a word may break
        if unicode {
            appendUnicode(character, to: &glyphs)
        } else {
            appendASCII(character, to: &glyphs)
        }
    }

    func appendUnicode(_ character: Character, to glyphs: inout [Glyph]) {
        guard let first = character.unicodeScalars.first else { return }
        if DisplayWidth.isZeroWidth(first) {
            // A mark with nothing to sit on, or a lone invisible character: show where it is,
            // on a dotted circle as Unicode suggests, instead of letting it join the previous cell.
            if first.properties.generalCategory == .format {
                glyphs.append(contentsOf: placeholderCode(first))
            } else {
                glyphs.append(Glyph("\u{25CC}" + String(character), width: 1, isPlaceholder: true))
            }
            return
        }
        glyphs.append(Glyph(String(character), width: DisplayWidth.of(character)))
    }

    func appendASCII(_ character: Character, to glyphs: inout [Glyph]) {
        if character.isASCII {
            glyphs.append(Glyph(String(character), width: 1))
            return
        }
        if let replacement = Self.asciiLookalikes[character] ?? Self.baseLetter(of: character) {
            glyphs.append(contentsOf: Glyph.ascii(replacement))
            return
        }
        glyphs.append(Glyph("?", width: 1, isPlaceholder: true))
    }

    /// `é` → `e`: the ASCII base of a letter with combining marks, when it has one.
    static func baseLetter(of character: Character) -> String? {
        let decomposed = String(character).decomposedStringWithCanonicalMapping.unicodeScalars
        guard let base = decomposed.first, base.isASCII, base.value >= 0x20,
              decomposed.dropFirst().allSatisfy({ $0.properties.generalCategory == .nonspacingMark }) else { return nil }
        return String(base)
    }

    static let asciiLookalikes: [Character: String] = [
        "\u{A0}": " ", "\u{2018}": "'", "\u{2019}": "'", "\u{201C}": "\"", "\u{201D}": "\"", "\u{2013}": "-",
        "\u{2014}": "--", "\u{2026}": "...", "\u{2022}": "*", "\u{B7}": ".", "\u{D7}": "x", "\u{2192}": "->",
        "\u{2190}": "<-", "\u{DF}": "ss", "\u{E6}": "ae", "\u{C6}": "AE", "\u{F8}": "o", "\u{D8}": "O",
        "\u{2212}": "-", "\u{2009}": " ", "\u{3000}": "  ",
    ]

    static func mustNotReachTerminal(_ scalar: Unicode.Scalar) -> Bool {
        TerminalSafeText.mustNotReachTerminal(scalar)
    }

    /// The policy's placeholder for an unsafe scalar, as glyphs drawn in the placeholder style.
    func placeholder(for scalar: Unicode.Scalar) -> [Glyph] {
        let text = TerminalSafeText.placeholder(for: scalar, unicode: unicode)
        if text.unicodeScalars.count == 1 { return [Glyph(text, width: 1, isPlaceholder: true)] }
        return Glyph.ascii(text).map { Glyph($0.text, width: 1, isPlaceholder: true) }
    }

    func placeholderCode(_ scalar: Unicode.Scalar) -> [Glyph] {
        Glyph.ascii(TerminalSafeText.code(scalar)).map { Glyph($0.text, width: 1, isPlaceholder: true) }
    }
}
