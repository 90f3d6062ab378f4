import AnnottyCore
import Foundation

/// Turns next-token log-probabilities into one probability per label, restricted to the label
/// set and renormalised: the distribution a decoder constrained to the label set would sample
/// from.
///
/// Labels are strings; a model emits them as tokens, and several labels may share first tokens
/// ("not" in "not_entailment" and "not_sure"). The label set is walked as a tree of text
/// prefixes. At each prefix the next-token alternatives are split among the labels each one is
/// consistent with (a token is consistent with a label when it continues it, or finishes it and
/// closes the JSON string). An alternative consistent with several labels is a shared branch:
/// its mass is divided by asking for the alternatives one step further down that branch, and
/// only when that is impossible (no request budget left, or a chat answer that went down
/// another branch) evenly among them. At each level the masses are renormalised over the labels
/// still possible, and a label's probability is the product along its path.
///
/// A label that appears among none of the reported alternatives (it ranked below the top K) is
/// given the smallest reported probability at that level: an upper bound, which keeps the
/// distribution honest (never overconfident) about the labels the server did not report.
public enum LabelDistribution {
    /// - Parameters:
    ///   - labels: label names; `escapedLabels` their text as written inside a JSON string.
    ///   - alternatives: next-token alternatives after a label prefix ("" for the first token),
    ///     or nil when they cannot be had for that prefix.
    ///   - expansionBudget: how many further `alternatives` calls shared branches may use.
    /// - Returns: a probability for every label, summing to 1; nil when even the first token's
    ///   alternatives are unknown.
    public static func compute(labels: [String], alternatives: (String) -> [TokenAlternative]?,
                               expansionBudget: Int = 8) -> [String: Double]? {
        guard !labels.isEmpty, let root = alternatives("") else { return nil }
        let escaped = labels.map(escape)
        var budget = expansionBudget
        let shares = distribute(prefix: "", candidates: Array(labels.indices), escaped: escaped, given: root,
                                alternatives: alternatives, budget: &budget)
        var result: [String: Double] = [:]
        for (index, label) in labels.enumerated() { result[label] = shares[index] ?? 0 }
        let total = result.values.reduce(0, +)
        guard total > 0, total.isFinite else {
            return Dictionary(uniqueKeysWithValues: labels.map { ($0, 1 / Double(labels.count)) })
        }
        for key in result.keys { result[key]! /= total }
        return result
    }

    /// The share of each candidate label below `prefix`, summing to 1 over `candidates`.
    static func distribute(prefix: String, candidates: [Int], escaped: [String], given: [TokenAlternative],
                           alternatives: (String) -> [TokenAlternative]?, budget: inout Int) -> [Int: Double] {
        if candidates.count == 1 { return [candidates[0]: 1] }
        var mass: [Int: Double] = [:]
        var shared: [(extended: String, labels: [Int], probability: Double)] = []
        var seen = Set<String>()
        var smallest = Double.infinity
        for alternative in given {
            guard seen.insert(alternative.token).inserted else { continue }
            let probability = exp(alternative.logprob)
            guard probability.isFinite, probability > 0 else { continue }
            smallest = min(smallest, probability)
            guard !alternative.token.isEmpty else { continue }
            let extended = prefix + alternative.token
            let consistent = candidates.filter { isConsistent(extended, with: escaped[$0]) }
            if consistent.count == 1 {
                mass[consistent[0], default: 0] += probability
            } else if consistent.count > 1 {
                shared.append((extended, consistent, probability))
            }
        }
        // Resolve the heaviest shared branches first while the budget lasts.
        for branch in shared.sorted(by: { $0.probability > $1.probability }) {
            var split: [Int: Double]?
            if budget > 0, let deeper = alternatives(branch.extended) {
                budget -= 1
                split = distribute(prefix: branch.extended, candidates: branch.labels, escaped: escaped, given: deeper,
                                   alternatives: alternatives, budget: &budget)
            }
            for label in branch.labels {
                mass[label, default: 0] += branch.probability * (split?[label] ?? 1 / Double(branch.labels.count))
            }
        }
        let floor = smallest.isFinite ? smallest : 1
        for label in candidates where (mass[label] ?? 0) == 0 { mass[label] = floor }
        let total = candidates.reduce(0) { $0 + (mass[$1] ?? 0) }
        var shares: [Int: Double] = [:]
        for label in candidates { shares[label] = (mass[label] ?? 0) / total }
        return shares
    }

    /// `text` (a label prefix plus one token) can still become `label`: it is a prefix of the
    /// label, or it is the whole label followed by the closing quote (and maybe more JSON).
    static func isConsistent(_ text: String, with label: String) -> Bool {
        label.hasPrefix(text) || text.hasPrefix(label + "\"")
    }

    /// A label as it is written between the quotes of a JSON string.
    static func escape(_ label: String) -> String {
        String(JSONValue.string(label).serialized.dropFirst().dropLast())
    }

    // MARK: Chat answers

    /// Label probabilities from a chat answer's token log-probabilities. The answer is JSON
    /// with a "label" string; its tokens are found in the generated sequence, and the
    /// alternatives at each of those positions feed `compute`. Shared branches the answer did
    /// not go down are split evenly (the server reported nothing below them).
    public static func fromChatTokens(_ tokens: [GeneratedToken], labels: [String]) -> [String: Double]? {
        guard !tokens.isEmpty else { return nil }
        var starts: [Int] = []
        var text = ""
        for token in tokens {
            starts.append(text.count)
            text += token.token
        }
        guard let valueStart = labelValueStart(in: text) else { return nil }
        // The token holding the label's first character; it may begin with the opening quote.
        guard let first = starts.lastIndex(where: { $0 <= valueStart }), first < tokens.count else { return nil }
        let characters = Array(text)
        let before = String(characters[starts[first]..<valueStart])
        var byPrefix: [String: [TokenAlternative]] = [:]
        var rootAlternatives = tokens[first].alternatives
        if !rootAlternatives.contains(where: { $0.token == tokens[first].token }) {
            rootAlternatives.append(TokenAlternative(token: tokens[first].token, logprob: tokens[first].logprob))
        }
        byPrefix[""] = rootAlternatives.compactMap { alternative in
            guard alternative.token.hasPrefix(before) else { return nil }
            return TokenAlternative(token: String(alternative.token.dropFirst(before.count)), logprob: alternative.logprob)
        }
        for index in (first + 1)..<max(first + 1, tokens.count) {
            let prefix = String(characters[valueStart..<starts[index]])
            // Past the closing quote nothing more is about the label.
            if prefix.contains("\"") { break }
            var alternatives = tokens[index].alternatives
            if !alternatives.contains(where: { $0.token == tokens[index].token }) {
                alternatives.append(TokenAlternative(token: tokens[index].token, logprob: tokens[index].logprob))
            }
            byPrefix[prefix] = alternatives
        }
        return compute(labels: labels, alternatives: { byPrefix[$0] }, expansionBudget: tokens.count)
    }

    /// The next-token alternatives where the string value of `key` begins in a chat answer
    /// (`{"answer": "yes"}`: the alternatives to "yes"), with any text of that token before the
    /// value (an opening quote) removed; nil when the answer has no such value.
    public static func valueAlternatives(_ tokens: [GeneratedToken], key: String) -> [TokenAlternative]? {
        var starts: [Int] = []
        var text = ""
        for token in tokens {
            starts.append(text.count)
            text += token.token
        }
        guard let valueStart = labelValueStart(in: text, key: key), valueStart < text.count,
              let first = starts.lastIndex(where: { $0 <= valueStart }) else { return nil }
        let before = String(Array(text)[starts[first]..<valueStart])
        var alternatives = tokens[first].alternatives
        if !alternatives.contains(where: { $0.token == tokens[first].token }) {
            alternatives.append(TokenAlternative(token: tokens[first].token, logprob: tokens[first].logprob))
        }
        return alternatives.compactMap { alternative in
            guard alternative.token.hasPrefix(before) else { return nil }
            return TokenAlternative(token: String(alternative.token.dropFirst(before.count)), logprob: alternative.logprob)
        }
    }

    /// The character offset just after `"<key>": "` in generated text.
    static func labelValueStart(in text: String, key keyName: String = "label") -> Int? {
        let characters = Array(text)
        let key = Array("\"" + keyName + "\"")
        var index = 0
        while index + key.count <= characters.count {
            if Array(characters[index..<index + key.count]) == key {
                var cursor = index + key.count
                while cursor < characters.count, characters[cursor].isWhitespace { cursor += 1 }
                guard cursor < characters.count, characters[cursor] == ":" else { index += 1; continue }
                cursor += 1
                while cursor < characters.count, characters[cursor].isWhitespace { cursor += 1 }
                guard cursor < characters.count, characters[cursor] == "\"" else { index += 1; continue }
                return cursor + 1
            }
            index += 1
        }
        return nil
    }
}
