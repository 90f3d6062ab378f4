import AnnottyCore
import Testing
@testable import AnnottyLLM

@Suite struct AnswerParserTests {
    let parser = AnswerParser(labels: LabelSet(names: ["positive", "negative", "neutral"]))

    @Test func readsPlainJSON() {
        #expect(parser.parse("{\"label\": \"negative\"}") == .success(.init(label: "negative", statedConfidence: nil)))
    }

    @Test func readsJSONInsideCodeFencesAndProse() {
        let raw = "Sure! Here is my answer:\n```json\n{\"label\": \"neutral\", \"confidence\": 0.7}\n```"
        #expect(parser.parse(raw) == .success(.init(label: "neutral", statedConfidence: 0.7)))
    }

    @Test func readsPercentAndQuotedConfidences() {
        #expect(parser.parse("{\"label\":\"positive\",\"confidence\":85}") == .success(.init(label: "positive", statedConfidence: 0.85)))
        #expect(parser.parse("{\"label\":\"positive\",\"confidence\":\"0.4\"}") == .success(.init(label: "positive", statedConfidence: 0.4)))
    }

    @Test func acceptsABareLabelAndACaseOnlyDifference() {
        #expect(parser.parse("Negative.") == .success(.init(label: "negative", statedConfidence: nil)))
        #expect(parser.parse("\"positive\"") == .success(.init(label: "positive", statedConfidence: nil)))
    }

    @Test func aLabelOutsideTheSetIsInvalid() {
        #expect(parser.parse("{\"label\": \"sarcastic\"}") == .failure(.labelNotInSet("sarcastic")))
        #expect(parser.parse("maybe") == .failure(.labelNotInSet("maybe")))
    }

    @Test func garbageAndEmptyAnswersAreInvalid() {
        #expect(parser.parse("   ") == .failure(.empty))
        #expect(parser.parse("{\"label\": ") == .failure(.noLabel("{\"label\":")))
    }

    @Test func braceInsideAStringDoesNotEndTheObject() {
        #expect(parser.parse("{\"note\": \"a } here\", \"label\": \"neutral\"}") == .success(.init(label: "neutral", statedConfidence: nil)))
    }
}
