/// An entity as a model states it: the mention's text and its type, no offsets.
public struct ProposedEntity: Sendable, Hashable, Codable {
    public var text: String
    public var type: String

    public init(text: String, type: String) {
        self.text = text
        self.type = type
    }
}

/// A proposed entity that could not be placed in the item, and why (recorded as an invalid answer).
public struct UnanchoredEntity: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        case empty = "the entity's text is empty"
        case unknownType = "the entity's type is not one of the task's types"
        case notFound = "the entity's text does not occur in the item"
        case noFreeOccurrence = "every occurrence of the entity's text is already taken by another entity"
    }

    public var entity: ProposedEntity
    public var reason: Reason

    public init(entity: ProposedEntity, reason: Reason) {
        self.entity = entity
        self.reason = reason
    }
}

/// The entities placed in the item, and those that could not be.
public struct AnchoringResult: Sendable, Hashable {
    public var spans: [EntitySpan]
    public var unanchored: [UnanchoredEntity]

    public var isValid: Bool { unanchored.isEmpty }
}

/// Places entities a model returned (text and type) at offsets in the item's own text. Offsets
/// a model writes are never used: models miscount characters, so the item's text is searched.
///
/// Rules, in order:
/// - the text is matched exactly after trimming surrounding whitespace, then, failing that,
///   ignoring case (the span keeps the item's own text);
/// - a match must sit on word edges ("US" is not found inside "BUS"), where the mention itself
///   begins or ends with a letter or digit;
/// - repeated mentions are taken left to right: the second "Paris" goes to the second
///   occurrence after the first one's, and a mention never takes characters another mention took;
/// - an entity with no free occurrence is reported, not guessed.
public enum EntityAnchoring {
    public static func anchor(
        _ entities: [ProposedEntity], in text: String, types: Set<String>? = nil
    ) -> AnchoringResult {
        let item = ScalarText(text)
        let folded = item.scalars.map(foldCase)
        var taken = Array(repeating: false, count: item.count)
        // Where the next search for each mention text begins, so repeats move left to right.
        var searchFrom: [String: Int] = [:]
        var spans: [EntitySpan] = []
        var unanchored: [UnanchoredEntity] = []

        for entity in entities {
            let mention = Array(entity.text.trimmingWhitespaceScalars())
            guard !mention.isEmpty else {
                unanchored.append(UnanchoredEntity(entity: entity, reason: .empty))
                continue
            }
            if let types, !types.contains(entity.type) {
                unanchored.append(UnanchoredEntity(entity: entity, reason: .unknownType))
                continue
            }
            let key = String(String.UnicodeScalarView(mention)).lowercased()
            let from = searchFrom[key] ?? 0
            let exact = occurrences(of: mention, in: item.scalars)
            let anyCase = exact.isEmpty ? occurrences(of: mention.map(foldCase), in: folded) : exact
            guard !anyCase.isEmpty else {
                unanchored.append(UnanchoredEntity(entity: entity, reason: .notFound))
                continue
            }
            let free = anyCase.first { start in
                start >= from && !taken[start..<(start + mention.count)].contains(true)
            }
            guard let start = free else {
                unanchored.append(UnanchoredEntity(entity: entity, reason: .noFreeOccurrence))
                continue
            }
            let end = start + mention.count
            for index in start..<end { taken[index] = true }
            searchFrom[key] = end
            spans.append(EntitySpan(start: start, end: end, type: entity.type, text: item.slice(start, end) ?? ""))
        }
        spans.sort { $0.key < $1.key }
        return AnchoringResult(spans: spans, unanchored: unanchored)
    }

    /// Start offsets of `needle` in `haystack` on word edges, left to right.
    private static func occurrences(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> [Int] {
        guard needle.count <= haystack.count else { return [] }
        let checksLeftEdge = isWordScalar(needle[0])
        let checksRightEdge = isWordScalar(needle[needle.count - 1])
        var starts: [Int] = []
        for start in 0...(haystack.count - needle.count) {
            let end = start + needle.count
            guard haystack[start..<end].elementsEqual(needle) else { continue }
            if checksLeftEdge, start > 0, isWordScalar(haystack[start - 1]) { continue }
            if checksRightEdge, end < haystack.count, isWordScalar(haystack[end]) { continue }
            starts.append(start)
        }
        return starts
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// Simple one-to-one case folding, so offsets in the folded text equal offsets in the item.
    private static func foldCase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first! : scalar
    }
}

extension String {
    fileprivate func trimmingWhitespaceScalars() -> [Unicode.Scalar] {
        var scalars = Array(unicodeScalars)
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        return scalars
    }
}
