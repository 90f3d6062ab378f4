/// A token of an item's text with its Unicode scalar offsets `start..<end` (see `EntitySpan`).
public struct TextToken: Sendable, Hashable, Codable {
    public var start: Int
    public var end: Int
    public var text: String

    public init(start: Int, end: Int, text: String) {
        self.start = start
        self.end = end
        self.text = text
    }
}
