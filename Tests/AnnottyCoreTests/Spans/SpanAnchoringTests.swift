import Testing
@testable import AnnottyCore

@Suite struct SpanAnchoringTests {
    @Test func repeatedMentionsTakeOccurrencesLeftToRight() {
        let text = "Paris beat Lyon, then Paris lost to Lyon."
        let result = EntityAnchoring.anchor([
            ProposedEntity(text: "Paris", type: "ORG"),
            ProposedEntity(text: "Lyon", type: "ORG"),
            ProposedEntity(text: "Paris", type: "ORG"),
        ], in: text)
        #expect(result.isValid)
        #expect(result.spans.map(\.key) == [
            SpanKey(start: 0, end: 5, type: "ORG"), SpanKey(start: 11, end: 15, type: "ORG"),
            SpanKey(start: 22, end: 27, type: "ORG"),
        ])
    }

    @Test func aMentionRepeatedMoreOftenThanTheTextIsReported() {
        let result = EntityAnchoring.anchor([
            ProposedEntity(text: "Paris", type: "LOC"), ProposedEntity(text: "Paris", type: "LOC"),
        ], in: "Paris in spring")
        #expect(result.spans.count == 1)
        #expect(result.unanchored == [UnanchoredEntity(entity: ProposedEntity(text: "Paris", type: "LOC"),
                                                       reason: .noFreeOccurrence)])
    }

    @Test func invalidEntitiesAreReportedWithTheirReason() {
        let result = EntityAnchoring.anchor([
            ProposedEntity(text: "Berlin", type: "LOC"),
            ProposedEntity(text: "  ", type: "LOC"),
            ProposedEntity(text: "Bonn", type: "CITY"),
        ], in: "Bonn is not Berlin's twin", types: ["LOC", "PER"])
        #expect(result.spans.map(\.text) == ["Berlin"])
        #expect(result.unanchored.map(\.reason) == [.empty, .unknownType])
        let missing = EntityAnchoring.anchor([ProposedEntity(text: "Munich", type: "LOC")], in: "Bonn")
        #expect(missing.unanchored.map(\.reason) == [.notFound])
    }

    @Test func aMentionIsNotFoundInsideAnotherWord() {
        let result = EntityAnchoring.anchor([ProposedEntity(text: "US", type: "LOC")], in: "The BUS left the US.")
        #expect(result.spans.map(\.key) == [SpanKey(start: 17, end: 19, type: "LOC")])
    }

    @Test func caseIsIgnoredOnlyWhenNoExactMatchExistsAndTheItemsTextIsKept() {
        let result = EntityAnchoring.anchor([ProposedEntity(text: "european union", type: "ORG")],
                                            in: "The European Union met.")
        #expect(result.spans == [EntitySpan(start: 4, end: 18, type: "ORG", text: "European Union")])
    }

    @Test func offsetsCountUnicodeScalarsAndConvertToUTF16() {
        let text = "😀 Zoë met José"
        let result = EntityAnchoring.anchor([ProposedEntity(text: "José", type: "PER")], in: text)
        #expect(result.spans.map(\.key) == [SpanKey(start: 10, end: 14, type: "PER")])
        let scalars = ScalarText(text)
        #expect(scalars.utf16Offset(ofScalar: 10) == 11)
        #expect(scalars.scalarOffset(ofUTF16: 11) == 10)
        #expect(scalars.scalarOffset(ofUTF16: 1) == nil, "the middle of a surrogate pair is no offset")
    }

    @Test func tokenizerSplitsEdgePunctuationKeepsAbbreviationsAndCutsAtSpanEdges() {
        let tokens = WordTokenizer.tokenize("(Reuters) U.S. stocks -- up 1.5%.")
        #expect(tokens.map(\.text) == ["(", "Reuters", ")", "U.S.", "stocks", "--", "up", "1.5", "%", "."])
        #expect(tokens[3].start == 10 && tokens[3].end == 14)
        let cut = WordTokenizer.tokenize("Anglo-French talks", cuttingAt: [5])
        #expect(cut.map(\.text) == ["Anglo", "-French", "talks"])
    }

    @Test func anItemBuiltFromTextHasSpansOnTokenEdges() throws {
        let item = SpanItem(id: "1", text: "Anglo-French talks",
                            spans: [EntitySpan(start: 0, end: 5, type: "MISC", text: "Anglo")])
        #expect(try item.bioTags() == ["B-MISC", "O", "O"])
    }
}
