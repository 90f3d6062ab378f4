/// How entity tags are written per token.
public enum BIOScheme: String, Sendable, CaseIterable {
    /// `B-` opens every entity (what most tools write).
    case iob2
    /// `I-` opens an entity; `B-` only where it directly follows an entity of the same type
    /// (the original CoNLL-2003 files).
    case iob1
}

/// Converting between per-token tags and token ranges of entities.
public enum BIOTagging {
    /// Entities as inclusive token ranges with their types, read from IOB1 or IOB2 tags alike:
    /// `B-X` always opens an entity; `I-X` continues one only after a `B-X` or `I-X`, and
    /// otherwise opens one (IOB1's way, and conlleval's reading of a stray IOB2 `I-`).
    /// - Throws: `BIOTagError` for a tag that is neither `O` nor `B-`/`I-` with a type.
    public static func entities(_ tags: [String]) throws(BIOTagError) -> [(tokens: ClosedRange<Int>, type: String)] {
        var entities: [(tokens: ClosedRange<Int>, type: String)] = []
        var open: (start: Int, type: String)?
        for (index, tag) in tags.enumerated() {
            let parsed = try parse(tag, at: index)
            switch parsed {
            case .outside:
                if let current = open { entities.append((current.start...(index - 1), current.type)) }
                open = nil
            case .begin(let type):
                if let current = open { entities.append((current.start...(index - 1), current.type)) }
                open = (index, type)
            case .inside(let type):
                if let current = open, current.type == type { continue }
                if let current = open { entities.append((current.start...(index - 1), current.type)) }
                open = (index, type)
            }
        }
        if let current = open { entities.append((current.start...(tags.count - 1), current.type)) }
        return entities
    }

    /// Tags for `count` tokens holding these entities (ranges must not overlap), in a scheme.
    public static func tags(
        count: Int, entities: [(tokens: ClosedRange<Int>, type: String)], scheme: BIOScheme
    ) -> [String] {
        var tags = Array(repeating: "O", count: count)
        for entity in entities.sorted(by: { $0.tokens.lowerBound < $1.tokens.lowerBound }) {
            let first = entity.tokens.lowerBound
            let opensWithB: Bool
            switch scheme {
            case .iob2: opensWithB = true
            case .iob1: opensWithB = first > 0 && tags[first - 1] != "O" && tags[first - 1].dropFirst(2) == entity.type
            }
            tags[first] = (opensWithB ? "B-" : "I-") + entity.type
            for index in entity.tokens.dropFirst() { tags[index] = "I-" + entity.type }
        }
        return tags
    }

    enum ParsedTag { case outside, begin(String), inside(String) }

    static func parse(_ tag: String, at index: Int) throws(BIOTagError) -> ParsedTag {
        if tag == "O" { return .outside }
        let type = String(tag.dropFirst(2))
        guard tag.count > 2, !type.isEmpty else { throw BIOTagError(tag: tag, tokenIndex: index) }
        if tag.hasPrefix("B-") { return .begin(type) }
        if tag.hasPrefix("I-") { return .inside(type) }
        throw BIOTagError(tag: tag, tokenIndex: index)
    }
}

public struct BIOTagError: Error, Sendable, Equatable, CustomStringConvertible {
    public var tag: String
    public var tokenIndex: Int

    public var description: String { "tag \"\(tag)\" is not O, B-TYPE or I-TYPE" }
}
