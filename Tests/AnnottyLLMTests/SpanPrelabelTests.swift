import AnnottyCore
import Foundation
import Testing
@testable import AnnottyLLM

/// Entity pre-labels: the model's entities placed in the item's own text, agreement over samples
/// as each span's confidence, and invalid answers (an invented mention, a type outside the labels).
@Suite struct SpanPrelabelTests {
    static let types = LabelSet(names: ["PER", "LOC", "ORG", "MISC"])
    // Offsets (Unicode scalars): "Angela Merkel" 10-23, "Paris" 32-37, "Macron" 46-52.
    static let sentence = "Yesterday Angela Merkel visited Paris and met Macron."

    func response(_ content: String) -> Result<HTTPResponse, HTTPFailure> {
        .success(HTTPResponse(status: 200, body: Data(CannedAnswers.chat(content: content, promptTokens: 100, completionTokens: 20).utf8)))
    }

    func predictor(_ project: TestProject, _ transport: ScriptedTransport, samples: Int) -> LLMPredictor {
        var settings = project.settings(confidence: .samples)
        settings.samples = samples
        settings.demonstrations = 0
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://127.0.0.1:9/v1"), transport: transport)
        return LLMPredictor(store: project.store, labels: project.labels, guidelines: project.guidelines, settings: settings,
                            scorer: LLMSession.makeScorer(settings: settings, client: client, task: .spans), task: .spans)
    }

    @Test func spansAreTheMajorityOfTheSamplesAtTheItemsOwnOffsets() throws {
        let project = try TestProject(items: [Self.sentence], labels: Self.types, guidelinesMarkdown: "")
        // The model's own offsets (0-5, 99-104) are wrong and must not be read.
        let transport = ScriptedTransport([
            response(#"{"entities": [{"text": "Angela Merkel", "type": "PER", "start": 0, "end": 5}, {"text": "Paris", "type": "LOC", "start": 99, "end": 104}, {"text": "Macron", "type": "PER"}]}"#),
            response("```json\n{\"entities\": [{\"text\": \"angela merkel\", \"type\": \"per\"}, {\"text\": \" Paris\", \"type\": \"LOC\"}]}\n```"),
            response(#"{"entities": [{"text": "Angela Merkel", "type": "PER"}, {"text": "Paris", "type": "ORG"}, {"text": "Macron", "type": "PER"}]}"#),
        ])
        let llm = predictor(project, transport, samples: 3)
        let item = try #require(try project.items().first)
        let outcome = try llm.predict(item)
        #expect(outcome.kind == .answered)
        let stored = try #require(try project.store.latestPredictions(itemIds: [item.id])[item.id])
        #expect(stored.label == "spans:10-23:PER,32-37:LOC,46-52:PER")
        #expect(stored.probabilities == ["10-23:PER": 1, "32-37:LOC": 2.0 / 3, "46-52:PER": 2.0 / 3])
        #expect(abs((stored.confidence ?? 0) - 2.0 / 3) < 1e-9)
        let proposed = try #require(stored.proposedSpans(in: item.text))
        #expect(proposed.map(\.span.text) == ["Angela Merkel", "Paris", "Macron"])
        // The question goes after the item; several samples sample (temperature 0 became 1).
        let body = try JSONParser.parse(String(decoding: transport.sent[0].body ?? Data(), as: UTF8.self))
        #expect(body["temperature"]?.numberValue == 1)
        #expect(body["messages"]?.arrayValue?.last?["content"]?.stringValue?.hasSuffix(SampledEntityScorer.question) == true)
        #expect(body["messages"]?.arrayValue?.first?["content"]?.stringValue?.contains("{\"entities\"") == true)
    }

    @Test func anEntityNotInTheItemMakesTheAnswerInvalidWithItsReason() throws {
        let project = try TestProject(items: [Self.sentence], labels: Self.types, guidelinesMarkdown: "")
        let transport = ScriptedTransport([response(#"{"entities": [{"text": "Angela Merkel", "type": "PER"}, {"text": "Berlin", "type": "LOC"}]}"#)])
        let item = try #require(try project.items().first)
        let outcome = try predictor(project, transport, samples: 1).predict(item)
        #expect(outcome.kind == .invalidAnswer)
        #expect(outcome.prediction.label == nil)
        #expect(outcome.prediction.error?.contains("\"Berlin\"") == true)
        #expect(outcome.prediction.error?.contains("does not occur in the item") == true)
        #expect(outcome.prediction.rawAnswer?.contains("Berlin") == true)
        // Recorded, and not asked again for the same prompt.
        #expect(!LLMPredictor.needsPrediction(latest: try project.store.latestPredictions(itemIds: [item.id])[item.id], model: "test-model"))
    }

    @Test func aTypeOutsideTheLabelsMakesTheAnswerInvalid() throws {
        let project = try TestProject(items: [Self.sentence], labels: Self.types, guidelinesMarkdown: "")
        let transport = ScriptedTransport([response(#"{"entities": [{"text": "Angela Merkel", "type": "PERSON"}]}"#)])
        let item = try #require(try project.items().first)
        let outcome = try predictor(project, transport, samples: 1).predict(item)
        #expect(outcome.kind == .invalidAnswer)
        #expect(outcome.prediction.error?.contains("type \"PERSON\", not one of the labels") == true)
    }

    @Test func aMentionRepeatedMoreOftenThanTheItemHasItIsInvalid() {
        let failure = SampledEntityScorer.spans(in: #"{"entities": [{"text": "Paris", "type": "LOC"}, {"text": "Paris", "type": "LOC"}]}"#,
                                                itemText: Self.sentence, labels: Self.types)
        #expect(failure == .failure(.init(message: "entity \"Paris\" (LOC): "
                                           + UnanchoredEntity.Reason.noFreeOccurrence.rawValue)))
        let twice = SampledEntityScorer.spans(in: #"{"entities": [{"text": "Paris", "type": "LOC"}, {"text": "Paris", "type": "LOC"}]}"#,
                                              itemText: "Paris, Texas is not Paris.", labels: Self.types)
        #expect(twice == .success([EntitySpan(start: 0, end: 5, type: "LOC", text: "Paris"),
                                   EntitySpan(start: 20, end: 25, type: "LOC", text: "Paris")]))
    }

    @Test func invalidSamplesLowerConfidenceAndMostlyInvalidSamplesAreNoAnswer() throws {
        let merkel = EntitySpan(start: 10, end: 23, type: "PER", text: "Angela Merkel")
        let oneBad = SampledEntityScorer.combine([[merkel], [merkel]], samples: 3, firstFailure: "entity \"Berlin\" (LOC): x",
                                                 rawAnswer: "", usage: TokenUsage())
        #expect(oneBad.isValid)
        #expect(oneBad.probabilities == ["10-23:PER": 2.0 / 3])
        let twoBad = SampledEntityScorer.combine([[merkel]], samples: 3, firstFailure: "entity \"Berlin\" (LOC): x",
                                                 rawAnswer: "", usage: TokenUsage())
        #expect(!twoBad.isValid)
        #expect(twoBad.error == "2 of 3 samples invalid; the first: entity \"Berlin\" (LOC): x")
        // No entity: an empty set with no confidence, never auto-accepted on faith.
        let none = SampledEntityScorer.combine([[], []], samples: 2, firstFailure: nil, rawAnswer: "", usage: TokenUsage())
        #expect(none.label == "spans:")
        let prediction = Prediction(itemId: 1, model: "m", label: none.label, probabilities: none.probabilities)
        #expect(prediction.confidence == nil)
    }

    @Test func demonstrationsShowTheirSpansAsEntitiesAndGuidelineExamplesAreLeftOut() {
        let builder = PromptBuilder(guidelines: Guidelines(markdown: "", labels: Self.types), labels: Self.types, answerFormat: .entities)
        let answer = builder.answer(label: "spans:10-23:PER,32-37:LOC", text: Self.sentence)
        #expect(answer == #"{"entities":[{"text":"Angela Merkel","type":"PER"},{"text":"Paris","type":"LOC"}]}"#)
        let guidelines = Guidelines(markdown: "# NER\n\n## PER\n\n**Definition:** A person.\n\n**Examples:**\n- Angela Merkel spoke.\n",
                                    labels: Self.types)
        #expect(DemonstrationPool.guidelineExamples(guidelines, labels: Self.types, task: .spans).isEmpty)
        #expect(!DemonstrationPool.guidelineExamples(guidelines, labels: Self.types, task: .single).isEmpty)
    }

    @Test func statedConfidenceIsRefusedForSpansWithTheNextStep() {
        var settings = LLMSettings()
        settings.confidence = .stated
        #expect(LLMSession.unsupportedReason(settings: settings, task: .spans)?.contains("confidence = \"samples\"") == true)
        settings.confidence = .logprobs
        #expect(LLMSession.unsupportedReason(settings: settings, task: .spans) == nil)
    }
}
