import Foundation

/// A label's probability of being in an item's set, read from the next-token alternatives at
/// the start of a yes/no answer: P(in) = p(yes) / (p(yes) + p(no)).
///
/// Spellings are pooled: a model may put its mass on "yes", "Yes", " YES", "y" or `yes"` (the
/// word with the closing quote in one token); each counts for its word. Tokens that are neither
/// ("maybe", "{", "The") are dropped, as `LabelDistribution` drops tokens outside the label set:
/// the result is what a decoder constrained to yes/no would sample.
///
/// When only one of the two words is among the reported alternatives (the other ranked below
/// the top K), the other is given the smallest reported probability, an upper bound, so that
/// the answer is never more certain than the server's report allows.
public enum YesNoProbability {
    public enum Word: Sendable, Equatable { case yes, no }

    /// P(yes | yes or no); nil when no alternative is a spelling of either word.
    public static func inProbability(_ alternatives: [TokenAlternative]) -> Double? {
        var yes = 0.0
        var no = 0.0
        var smallest = Double.infinity
        var seen = Set<String>()
        for alternative in alternatives where seen.insert(alternative.token).inserted {
            let probability = exp(alternative.logprob)
            guard probability.isFinite, probability > 0 else { continue }
            smallest = min(smallest, probability)
            switch word(alternative.token) {
            case .yes: yes += probability
            case .no: no += probability
            case nil: break
            }
        }
        guard yes > 0 || no > 0 else { return nil }
        if yes == 0 { yes = smallest }
        if no == 0 { no = smallest }
        return yes / (yes + no)
    }

    /// Which word a token spells or starts: "y", "ye", "yes" and "yes" followed by anything but a
    /// letter are yes; "n", "no" and "no" followed by anything but a letter are no ("not",
    /// "none" and "nothing" are other words). Case and leading spaces do not matter.
    public static func word(_ token: String) -> Word? {
        let text = token.drop(while: { $0.isWhitespace }).lowercased()
        if text.isEmpty { return nil }
        if "yes".hasPrefix(text) { return .yes }
        if text == "n" || text == "no" { return .no }
        if text.hasPrefix("yes"), let next = text.dropFirst(3).first, !next.isLetter { return .yes }
        if text.hasPrefix("no"), let next = text.dropFirst(2).first, !next.isLetter { return .no }
        return nil
    }
}
