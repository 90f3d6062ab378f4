import Foundation
import Testing
@testable import AnnottyLLM

@Suite struct LabelDistributionTests {
    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) < tolerance
    }

    @Test func singleTokenLabelsAreRenormalisedOverTheLabelSetOnly() throws {
        // "Positive" (capitalised) is not a label: its mass is dropped, not added to positive.
        let root = [TokenAlternative(token: "positive", logprob: -0.5), TokenAlternative(token: "negative", logprob: -1.5),
                    TokenAlternative(token: "neutral", logprob: -2.0), TokenAlternative(token: "Positive", logprob: -1.0)]
        let result = try #require(LabelDistribution.compute(labels: ["positive", "negative", "neutral"],
                                                            alternatives: { $0.isEmpty ? root : nil }))
        #expect(close(result["positive"], 0.6285317192117624))
        #expect(close(result["negative"], 0.23122389762214907))
        #expect(close(result["neutral"], 0.1402443831660885))
    }

    @Test func sharedFirstTokensAreSplitByProbingTheBranch() throws {
        let labels = ["not_entailment", "not_sure", "entailment"]
        var probed: [String] = []
        let answers: [String: [TokenAlternative]] = [
            "": [.init(token: "not", logprob: log(0.5)), .init(token: "ent", logprob: log(0.3)), .init(token: "garbage", logprob: log(0.2))],
            "not": [.init(token: "_ent", logprob: log(0.6)), .init(token: "_sure", logprob: log(0.2)),
                    .init(token: "_", logprob: log(0.1)), .init(token: "xyz", logprob: log(0.1))],
            "not_": [.init(token: "ent", logprob: log(0.9)), .init(token: "sure", logprob: log(0.1))],
        ]
        let result = try #require(LabelDistribution.compute(labels: labels, alternatives: { prefix in
            probed.append(prefix)
            return answers[prefix]
        }))
        #expect(probed == ["", "not", "not_"])
        // entailment: 0.3 / 0.8; the "not" branch (0.5 / 0.8) splits 0.69 : 0.21.
        #expect(close(result["entailment"], 0.375))
        #expect(close(result["not_entailment"], 0.625 * 0.69 / 0.9))
        #expect(close(result["not_sure"], 0.625 * 0.21 / 0.9))
        #expect(close(result.values.reduce(0, +), 1))
    }

    @Test func sharedBranchWithoutBudgetIsSplitEvenly() throws {
        let root = [TokenAlternative(token: "not", logprob: log(0.5)), TokenAlternative(token: "ent", logprob: log(0.3))]
        let result = try #require(LabelDistribution.compute(labels: ["not_entailment", "not_sure", "entailment"],
                                                            alternatives: { $0.isEmpty ? root : nil }, expansionBudget: 0))
        #expect(close(result["entailment"], 0.375))
        #expect(close(result["not_entailment"], 0.3125))
        #expect(close(result["not_sure"], 0.3125))
    }

    @Test func aLabelThatIsAPrefixOfAnotherIsEndedByTheClosingQuote() throws {
        let answers: [String: [TokenAlternative]] = [
            "": [.init(token: "yes", logprob: log(0.8)), .init(token: "no", logprob: log(0.2))],
            // After "yes": the string closes (label "yes") or continues ("yes_but").
            "yes": [.init(token: "\"}", logprob: log(0.3)), .init(token: "_but", logprob: log(0.6)), .init(token: "!", logprob: log(0.1))],
        ]
        let result = try #require(LabelDistribution.compute(labels: ["yes", "yes_but", "no"], alternatives: { answers[$0] }))
        #expect(close(result["no"], 0.2))
        #expect(close(result["yes"], 0.8 * 0.3 / 0.9))
        #expect(close(result["yes_but"], 0.8 * 0.6 / 0.9))
    }

    @Test func aLabelMissingFromTheTopAlternativesGetsTheSmallestReportedProbability() throws {
        let root = [TokenAlternative(token: "a", logprob: log(0.7)), TokenAlternative(token: "b", logprob: log(0.2)),
                    TokenAlternative(token: "zzz", logprob: log(0.05))]
        let result = try #require(LabelDistribution.compute(labels: ["a", "b", "c"], alternatives: { $0.isEmpty ? root : nil }))
        #expect(close(result["a"], 0.7368421052631579))
        #expect(close(result["b"], 0.2105263157894737))
        #expect(close(result["c"], 0.052631578947368425))
    }

    @Test func differentTokenisationsOfOneLabelAddUp() throws {
        // "pos" and "positive" both start the label positive.
        let root = [TokenAlternative(token: "positive", logprob: log(0.4)), TokenAlternative(token: "pos", logprob: log(0.2)),
                    TokenAlternative(token: "negative", logprob: log(0.2))]
        let result = try #require(LabelDistribution.compute(labels: ["positive", "negative"], alternatives: { $0.isEmpty ? root : nil }))
        #expect(close(result["positive"], 0.75))
        #expect(close(result["negative"], 0.25))
    }

    @Test func noAlternativesAtAllGivesNil() {
        #expect(LabelDistribution.compute(labels: ["a", "b"], alternatives: { _ in nil }) == nil)
    }

    @Test func chatTokensFollowTheGeneratedBranchOfASharedFirstToken() throws {
        let tokens = [
            GeneratedToken(token: "{\"", logprob: 0, alternatives: []),
            GeneratedToken(token: "label", logprob: 0, alternatives: []),
            GeneratedToken(token: "\":", logprob: 0, alternatives: []),
            GeneratedToken(token: " \"", logprob: 0, alternatives: []),
            GeneratedToken(token: "not", logprob: log(0.5), alternatives: [.init(token: "not", logprob: log(0.5)), .init(token: "ent", logprob: log(0.3))]),
            GeneratedToken(token: "_sure", logprob: log(0.25), alternatives: [.init(token: "_sure", logprob: log(0.25)), .init(token: "_ent", logprob: log(0.75))]),
            GeneratedToken(token: "\"}", logprob: 0, alternatives: [.init(token: "\"}", logprob: 0)]),
        ]
        let result = try #require(LabelDistribution.fromChatTokens(tokens, labels: ["not_entailment", "not_sure", "entailment"]))
        #expect(close(result["entailment"], 0.375))
        #expect(close(result["not_sure"], 0.625 * 0.25))
        #expect(close(result["not_entailment"], 0.625 * 0.75))
    }

    @Test func chatTokenThatCarriesTheOpeningQuoteIsAlignedOnTheLabel() throws {
        let tokens = [
            GeneratedToken(token: "{\"label\":", logprob: 0, alternatives: []),
            GeneratedToken(token: " \"pos", logprob: log(0.6), alternatives: [
                .init(token: " \"pos", logprob: log(0.6)), .init(token: " \"neg", logprob: log(0.3)), .init(token: " \"", logprob: log(0.1)),
            ]),
            GeneratedToken(token: "itive\"}", logprob: 0, alternatives: []),
        ]
        let result = try #require(LabelDistribution.fromChatTokens(tokens, labels: ["positive", "negative"]))
        #expect(close(result["positive"], 2.0 / 3.0))
        #expect(close(result["negative"], 1.0 / 3.0))
    }

    @Test func chatTokensWithoutALabelKeyGiveNil() {
        let tokens = [GeneratedToken(token: "positive", logprob: 0, alternatives: [])]
        #expect(LabelDistribution.fromChatTokens(tokens, labels: ["positive", "negative"]) == nil)
    }
}
