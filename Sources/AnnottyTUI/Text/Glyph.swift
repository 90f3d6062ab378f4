/// One grapheme cluster ready to draw: safe to send to a terminal, with its width in columns.
/// A glyph never contains control characters; `InertText` turns those into placeholders.
public struct Glyph: Sendable, Hashable {
    public var text: String
    public var width: Int
    /// Stands in for something that could not be drawn as itself (a control character, a
    /// bidirectional override, a character the terminal's character set lacks).
    public var isPlaceholder: Bool

    public init(_ text: String, width: Int, isPlaceholder: Bool = false) {
        self.text = text
        self.width = width
        self.isPlaceholder = isPlaceholder
    }

    public static let space = Glyph(" ", width: 1)

    /// A real space (not a placeholder that happens to draw as one): where lines may break.
    public var isSpace: Bool {
        !isPlaceholder && text.utf8.count == 1 && text.utf8.first == 0x20
    }

    /// Glyphs of plain ASCII text that needs no sanitizing (interface strings).
    public static func ascii(_ text: String) -> [Glyph] {
        text.map { Glyph(String($0), width: 1) }
    }
}

extension Array where Element == Glyph {
    public var width: Int { reduce(0) { $0 + $1.width } }
    public var text: String { map(\.text).joined() }
}
