/// Splits text into word tokens with their scalar offsets: whitespace separates tokens and
/// punctuation at a word's edges becomes tokens of its own ("(Reuters)," → "(", "Reuters", ")",
/// ","), as CoNLL-2003 tokenizes. A trailing period stays on a word of letters with a period
/// inside ("U.S.", "e.g."), because those are abbreviations, not sentence ends.
public enum WordTokenizer {
    /// - Parameter cuts: scalar offsets where a token must end and the next begin (span edges
    ///   from an import or an anchored pre-label), so every span covers whole tokens.
    public static func tokenize(_ text: String, cuttingAt cuts: Set<Int> = []) -> [TextToken] {
        let scalars = Array(text.unicodeScalars)
        var ranges: [Range<Int>] = []
        var index = 0
        while index < scalars.count {
            if scalars[index].properties.isWhitespace { index += 1; continue }
            var end = index
            while end < scalars.count, !scalars[end].properties.isWhitespace { end += 1 }
            ranges.append(contentsOf: splitPunctuation(scalars, index..<end))
            index = end
        }
        var tokens: [TextToken] = []
        for range in ranges {
            var start = range.lowerBound
            for offset in range.dropFirst() where cuts.contains(offset) {
                tokens.append(token(scalars, start..<offset))
                start = offset
            }
            tokens.append(token(scalars, start..<range.upperBound))
        }
        return tokens
    }

    private static func token(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> TextToken {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return TextToken(start: range.lowerBound, end: range.upperBound, text: String(view))
    }

    private static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        !scalar.properties.isAlphabetic && !("0"..."9").contains(scalar) && !scalar.properties.isWhitespace
    }

    private static func splitPunctuation(_ scalars: [Unicode.Scalar], _ word: Range<Int>) -> [Range<Int>] {
        var lower = word.lowerBound
        var upper = word.upperBound
        var leading: [Range<Int>] = []
        var trailing: [Range<Int>] = []
        while lower < upper, isPunctuation(scalars[lower]) {
            leading.append(lower..<(lower + 1))
            lower += 1
        }
        while upper > lower, isPunctuation(scalars[upper - 1]) {
            let rest = scalars[lower..<(upper - 1)]
            let isAbbreviationPeriod = scalars[upper - 1] == "." && rest.contains(".")
                && rest.allSatisfy { $0 == "." || $0.properties.isAlphabetic }
            if isAbbreviationPeriod { break }
            trailing.insert((upper - 1)..<upper, at: 0)
            upper -= 1
        }
        // A word made only of punctuation ("--", "...") stays one token.
        if lower == upper { return [word] }
        return leading + [lower..<upper] + trailing
    }
}
