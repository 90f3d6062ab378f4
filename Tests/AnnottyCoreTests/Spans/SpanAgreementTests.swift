import Testing
@testable import AnnottyCore

@Suite struct SpanAgreementTests {
    static func key(_ start: Int, _ end: Int, _ type: String) -> SpanKey { SpanKey(start: start, end: end, type: type) }

    @Test func pairwiseF1CountsOnlyExactMatchesOnSharedItems() throws {
        // ann vs bob, item 1: 3 spans each, 2 identical, the ORG ends differ → P = R = F1 = 2/3.
        // Item 2: both marked nothing. Item 3 is ann's alone and not counted.
        let annotations: [String: [String: [SpanKey]]] = [
            "ann": ["1": [Self.key(0, 5, "PER"), Self.key(10, 15, "LOC"), Self.key(20, 22, "ORG")],
                    "2": [], "3": [Self.key(0, 1, "PER")]],
            "bob": ["1": [Self.key(0, 5, "PER"), Self.key(10, 15, "LOC"), Self.key(20, 25, "ORG")], "2": []],
            "cy": ["1": [Self.key(0, 5, "ORG")]],
        ]
        let pairs = SpanAgreement.pairwiseF1(annotations)
        #expect(pairs.map { "\($0.first)-\($0.second)" } == ["ann-bob", "ann-cy", "bob-cy"])
        #expect(pairs[0].sharedItems == 2)
        #expect(abs(pairs[0].score.f1 - 2.0 / 3.0) < 1e-12)
        // ann-cy share item 1 only: 0 matches (type differs) → 0.
        #expect(pairs[1].score.f1 == 0)
        #expect(abs(try #require(SpanAgreement.meanPairwiseF1(annotations)) - (2.0 / 3.0) / 3.0) < 1e-12)
    }

    @Test func tokenKappaMatchesAHandComputedValue() throws {
        // Tokens: Ada Lovelace met Babbage . ; first: PER(Ada Lovelace), PER(Babbage)
        // second: PER(Ada), PER(Babbage). Tags per token:
        //   first:  B-PER I-PER O B-PER O
        //   second: B-PER O     O B-PER O
        // observed agreement 4/5; marginals first (B 2, I 1, O 2), second (B 2, I 0, O 3):
        // expected = (2·2 + 1·0 + 2·3)/25 = 10/25; κ = (0.8 − 0.4)/(1 − 0.4) = 2/3.
        let text = "Ada Lovelace met Babbage ."
        let item = SpanItem(id: "1", text: text, tokens: WordTokenizer.tokenize(text), spans: [])
        let pair = SpanAgreement.TokenPair(
            item: item,
            first: [EntitySpan(start: 0, end: 12, type: "PER", text: "Ada Lovelace"),
                    EntitySpan(start: 17, end: 24, type: "PER", text: "Babbage")],
            second: [EntitySpan(start: 0, end: 3, type: "PER", text: "Ada"),
                     EntitySpan(start: 17, end: 24, type: "PER", text: "Babbage")])
        #expect(abs(try SpanAgreement.tokenKappa([pair]) - 2.0 / 3.0) < 1e-12)
    }

    @Test func majorityKeepsSpansMoreThanHalfMarkedExactly() {
        let paris = EntitySpan(start: 0, end: 5, type: "LOC", text: "Paris")
        let parisOrg = EntitySpan(start: 0, end: 5, type: "ORG", text: "Paris")
        let hilton = EntitySpan(start: 6, end: 12, type: "ORG", text: "Hilton")
        let hiltonWide = EntitySpan(start: 0, end: 12, type: "ORG", text: "Paris Hilton")
        // Four annotators: Paris/LOC by 3 (kept), Hilton by 2 of 4 (exactly half: dropped),
        // the wide span by 1, Paris/ORG by 1. A span listed twice by one annotator counts once.
        let kept = SpanMajority.aggregate([[paris, hilton, hilton], [paris, hilton], [paris, hiltonWide], [parisOrg]])
        #expect(kept == [paris])
        #expect(SpanMajority.aggregate([[paris, hilton], [paris], [hilton]]) == [paris, hilton])
        #expect(SpanMajority.aggregate([]) == [])
    }
}
