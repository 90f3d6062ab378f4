/// One entity mention in an item's text: a half-open range of **Unicode scalar** offsets
/// `start..<end`, its type (`PER`, `ORG`, ...) and the text it covers.
///
/// Why scalars: they are what Python's `str` indexes, so spaCy, Prodigy and Hugging Face offsets
/// are used as they come; they do not move with normalisation-free grapheme rules the way
/// `Character` counts do (a combining mark after a span's end would change a `Character`
/// count), and they are independent of the encoding. Label Studio counts UTF-16 code units (a
/// JavaScript string); its reader and writer convert at the border (`ScalarText`).
public struct EntitySpan: Sendable, Hashable, Codable, CustomStringConvertible {
    public var start: Int
    public var end: Int
    public var type: String
    public var text: String

    public init(start: Int, end: Int, type: String, text: String) {
        self.start = start
        self.end = end
        self.type = type
        self.text = text
    }

    /// The span's identity for exact-match scoring: offsets and type (the text follows from them).
    public var key: SpanKey { SpanKey(start: start, end: end, type: type) }

    public var description: String { "\(type)[\(start),\(end))\"\(text)\"" }
}

/// Offsets and type: what exact-match entity scoring compares.
public struct SpanKey: Sendable, Hashable, Comparable {
    public var start: Int
    public var end: Int
    public var type: String

    public init(start: Int, end: Int, type: String) {
        self.start = start
        self.end = end
        self.type = type
    }

    public static func < (lhs: SpanKey, rhs: SpanKey) -> Bool {
        (lhs.start, lhs.end, lhs.type) < (rhs.start, rhs.end, rhs.type)
    }
}
