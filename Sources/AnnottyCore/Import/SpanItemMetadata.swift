/// How a span item's tokens and document survive in the store: the item's `metadata_json` holds
/// `{"tokens": [[start, end], ...], "document": 3}` (scalar offsets), written on import and read
/// by export. Without it a token format (CoNLL, HF) would re-tokenize the text and could split a
/// CoNLL token ("Inc." → "Inc" ".") so that an export no longer lines up with the file it came from.
public enum SpanItemMetadata {
    /// The metadata keys this bookkeeping uses: not fields to show a person.
    public static let keys: Set<String> = ["tokens", "document"]

    public static func encode(tokens: [TextToken], document: Int?) -> String {
        var out = "{\"tokens\":["
        for (index, token) in tokens.enumerated() {
            if index > 0 { out += "," }
            out += "[\(token.start),\(token.end)]"
        }
        out += "]"
        if let document { out += ",\"document\":\(document)" }
        out += "}"
        return out
    }

    /// The item rebuilt for a writer or a token metric: its stored tokens (or `WordTokenizer`'s where
    /// none are stored or they do not fit the text), cut at the spans' edges so that every span covers
    /// whole tokens, and its document.
    public static func spanItem(id: String, text: String, metadataJSON: String?, spans: [EntitySpan]) -> SpanItem {
        let scalars = ScalarText(text)
        var stored: [TextToken]?
        var document: Int?
        if let metadataJSON, let parsed = try? JSONParser.parse(metadataJSON) {
            document = parsed["document"]?.doubleValue.flatMap { Int(exactly: $0) }
            if let pairs = parsed["tokens"]?.arrayValue {
                var tokens: [TextToken] = []
                var previousEnd = 0
                for pair in pairs {
                    guard let bounds = pair.arrayValue, bounds.count == 2,
                          let start = bounds[0].doubleValue.flatMap({ Int(exactly: $0) }),
                          let end = bounds[1].doubleValue.flatMap({ Int(exactly: $0) }),
                          start >= previousEnd, start < end, let covered = scalars.slice(start, end) else {
                        tokens = []
                        break
                    }
                    // A token with whitespace in it, or text between tokens that is not whitespace,
                    // would corrupt a CoNLL line or drop text: such tokens are not used.
                    guard !covered.unicodeScalars.contains(where: \.properties.isWhitespace),
                          scalars.scalars[previousEnd..<start].allSatisfy(\.properties.isWhitespace) else {
                        tokens = []
                        break
                    }
                    tokens.append(TextToken(start: start, end: end, text: covered))
                    previousEnd = end
                }
                if !scalars.scalars[min(previousEnd, scalars.count)...].allSatisfy(\.properties.isWhitespace) { tokens = [] }
                if !tokens.isEmpty { stored = tokens }
            }
        }
        let cuts = Set(spans.flatMap { [$0.start, $0.end] })
        guard let stored else {
            return SpanItem(id: id, text: text, tokens: WordTokenizer.tokenize(text, cuttingAt: cuts), spans: spans,
                            document: document)
        }
        var tokens: [TextToken] = []
        tokens.reserveCapacity(stored.count)
        for token in stored {
            var start = token.start
            for offset in (token.start + 1)..<max(token.start + 1, token.end) where cuts.contains(offset) {
                tokens.append(TextToken(start: start, end: offset, text: scalars.slice(start, offset)!))
                start = offset
            }
            tokens.append(TextToken(start: start, end: token.end, text: start == token.start ? token.text : scalars.slice(start, token.end)!))
        }
        return SpanItem(id: id, text: text, tokens: tokens, spans: spans, document: document)
    }

    /// The spans a span set's label names, with their text taken from the item's text; nil when the
    /// label is not a span set or names a range outside the text.
    public static func spans(inLabel label: String, text: String) -> [EntitySpan]? {
        guard let keys = SpanAnnotation.keys(inLabel: label) else { return nil }
        let scalars = ScalarText(text)
        var spans: [EntitySpan] = []
        for key in keys {
            guard let covered = scalars.slice(key.start, key.end) else { return nil }
            spans.append(EntitySpan(start: key.start, end: key.end, type: key.type, text: covered))
        }
        return spans
    }
}
