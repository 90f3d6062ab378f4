import AnnottyCore
import Foundation
import Testing
@testable import AnnottyLLM

@Suite struct ChatProtocolTests {
    let labels = LabelSet(names: ["positive", "negative"])

    @Test func logprobRequestAsksForStructuredOutputRestrictedToTheLabels() {
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://127.0.0.1:1/v1"), transport: ScriptedTransport([]))
        let scorer = ChatLogprobScorer(client: client, model: "gpt-test", topLogprobs: 20)
        let prompt = Prompt(messages: [.system("Label it."), .user("<item>\nGreat\n</item>")], hash: "h")
        let body = scorer.request(prompt, labels: labels).body.serialized
        #expect(body == """
            {"model":"gpt-test","messages":[{"role":"system","content":"Label it."},{"role":"user","content":"<item>\\nGreat\\n</item>"}],\
            "temperature":0,"max_tokens":40,"response_format":{"type":"json_schema","json_schema":{"name":"label_answer","strict":true,\
            "schema":{"type":"object","properties":{"label":{"type":"string","enum":["positive","negative"]}},"required":["label"],\
            "additionalProperties":false}}},"logprobs":true,"top_logprobs":20}
            """)
    }

    @Test func statedRequestAsksForAConfidenceBetweenZeroAndOne() {
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://127.0.0.1:1/v1"), transport: ScriptedTransport([]))
        let body = StatedConfidenceScorer(client: client, model: "m").request(Prompt(messages: [], hash: ""), labels: labels).body
        let schema = body["response_format"]?["json_schema"]?["schema"]
        #expect(schema?["properties"]?["confidence"]?.serialized == "{\"type\":\"number\",\"minimum\":0,\"maximum\":1}")
        #expect(schema?["required"]?.serialized == "[\"label\",\"confidence\"]")
        #expect(body["logprobs"] == nil)
    }

    @Test func requestCarriesTheKeyOnlyInTheAuthorizationHeader() throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data(CannedAnswers.chat(content: "{\"label\":\"positive\"}").utf8)))])
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://h/v1/", apiKey: "sk-test-123"), transport: transport)
        _ = try client.chatCompletion(ChatRequest(model: "m", messages: [.user("hi")]))
        let sent = try #require(transport.sent.first)
        #expect(sent.url == "http://h/v1/chat/completions")
        #expect(sent.headers.first { $0.name == "Authorization" }?.value == "Bearer sk-test-123")
        #expect(!(sent.body.map { String(decoding: $0, as: UTF8.self) } ?? "").contains("sk-test-123"))
    }

    @Test func parsesAnOpenAIAnswerWithLogprobsAndUsage() throws {
        let text = CannedAnswers.labelled("negative", alternatives: [("negative", -0.2), ("positive", -1.8), ("Neg", -3)])
        let response = try ChatResponse.parse(try JSONParser.parse(text))
        #expect(response.content == "{\"label\": \"negative\"}")
        #expect(response.usage == TokenUsage(promptTokens: 120, completionTokens: 6))
        #expect(response.tokens?.count == 6)
        #expect(response.tokens?[4].alternatives.map(\.token) == ["negative", "positive", "Neg"])
        let score = ChatLogprobScorer.interpret(response, labels: labels)
        let expected = exp(-0.2) / (exp(-0.2) + exp(-1.8))
        #expect(score.label == "negative")
        #expect(abs((score.probabilities["negative"] ?? 0) - expected) < 1e-12)
        #expect(abs(score.probabilities.values.reduce(0, +) - 1) < 1e-12)
    }

    @Test func anAnswerOutsideTheLabelSetIsAnInvalidScore() throws {
        let response = try ChatResponse.parse(try JSONParser.parse(CannedAnswers.chat(content: "{\"label\": \"meh\"}")))
        let score = ChatLogprobScorer.interpret(response, labels: labels)
        #expect(!score.isValid)
        #expect(score.label == nil)
        #expect(score.error == "label \"meh\" is not in the label set")
        #expect(score.rawAnswer == "{\"label\": \"meh\"}")
    }

    @Test func anAnswerWithoutLogprobsIsInvalidAndSaysWhatToConfigure() throws {
        let response = try ChatResponse.parse(try JSONParser.parse(CannedAnswers.chat(content: "{\"label\": \"positive\"}")))
        let score = ChatLogprobScorer.interpret(response, labels: labels)
        #expect(!score.isValid)
        #expect(score.error?.contains("confidence = \"stated\"") == true)
    }

    @Test func serverErrorObjectsAndMissingChoicesAreInvalidResponses() {
        #expect(throws: LLMError.invalidResponse("server error: model overloaded")) {
            try ChatResponse.parse(try! JSONParser.parse("{\"error\":{\"message\":\"model overloaded\"}}"))
        }
        #expect(throws: LLMError.invalidResponse("no choices in the answer")) {
            try ChatResponse.parse(try! JSONParser.parse("{\"choices\":[]}"))
        }
    }

    @Test func statedConfidenceSpreadsTheRestOverTheOtherLabels() throws {
        let three = LabelSet(names: ["a", "b", "c"])
        let response = ChatResponse(content: "{\"label\":\"b\",\"confidence\":0.7}")
        let score = StatedConfidenceScorer.interpret(response, labels: three)
        #expect(score.label == "b")
        #expect(abs(score.probabilities["b"]! - 0.7) < 1e-12)
        #expect(abs(score.probabilities["a"]! - 0.15) < 1e-12)
        #expect(abs(score.probabilities["c"]! - 0.15) < 1e-12)
    }

    @Test func llamaCompletionProbeIsParsed() throws {
        let answer = try JSONParser.parse("""
            {"content":"Positive","tokens_evaluated":49,"tokens_predicted":1,"completion_probabilities":[{"id":1,"token":"Positive",\
            "logprob":-1.36,"top_logprobs":[{"id":1,"token":"Positive","logprob":-1.36},{"id":2,"token":"positive","logprob":-2.99}]}]}
            """)
        let (alternatives, usage) = try CompletionProbeScorer.parseProbe(answer)
        #expect(alternatives == [TokenAlternative(token: "Positive", logprob: -1.36), TokenAlternative(token: "positive", logprob: -2.99)])
        #expect(usage == TokenUsage(promptTokens: 49, completionTokens: 1))
    }
}
