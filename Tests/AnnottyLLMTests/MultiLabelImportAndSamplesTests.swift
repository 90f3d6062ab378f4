import AnnottyCore
import Foundation
import Testing
@testable import AnnottyLLM

@Suite struct MultiLabelPredictionFileTests {
    func project() throws -> TestProject {
        try TestProject(items: ["first", "second", "third"], labels: MultiLabelScoringTests.emotions, guidelinesMarkdown: "# Emotions\n")
    }

    func write(_ lines: [String], in project: TestProject) throws -> URL {
        let url = project.folder.appendingPathComponent("predictions-\(UUID().uuidString).jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func perLabelProbabilitiesBecomeTheModelsPredictionsAndTheirCutoffSet() throws {
        let project = try project()
        let url = try write([
            #"{"id": "r1", "probabilities": {"joy": 0.91, "anger": 0.04, "sadness": 0.5}, "text": "ignored"}"#,
            "",
            #"{"id": "r2", "probabilities": {"sadness": 0.2, "anger": 0.7, "joy": 0.1}}"#,
            #"{"id": "nope", "probabilities": {"joy": 0.3, "anger": 0.3, "sadness": 0.3}}"#,
        ], in: project)
        let summary = try MultiLabelPredictionFile.importPredictions(from: url, store: project.store, labels: project.labels, model: "roberta")
        #expect(summary.imported == 2)
        #expect(summary.unknownItems == 1)
        #expect(summary.firstUnknown == "\"nope\" (line 4)")
        let ids = try #require(try project.store.itemId(externalId: "r1")).self
        let second = try #require(try project.store.itemId(externalId: "r2"))
        let latest = try project.store.latestPredictions(itemIds: [ids, second])
        let first = try #require(latest[ids])
        #expect(first.label == #"["joy","sadness"]"#)
        #expect(first.probabilities == ["joy": 0.91, "anger": 0.04, "sadness": 0.5])
        #expect(first.model == "roberta" && first.source == .llm && first.isValid)
        #expect(latest[second]?.label == #"["anger"]"#)
        // `annotty prelabel` with this model does not ask again for them.
        #expect(!LLMPredictor.needsPrediction(latest: first, model: "roberta"))
        let third = try #require(try project.store.itemId(externalId: "r3"))
        #expect(try project.store.latestPredictions(itemIds: [third])[third] == nil)
    }

    @Test func aBadLineStopsTheImportNamingFileAndLineAndNothingIsStored() throws {
        let project = try project()
        let good = #"{"id": "r1", "probabilities": {"joy": 0.9, "anger": 0.1, "sadness": 0.2}}"#
        let cases: [(String, String)] = [
            (#"{"id": "r2", "probabilities": {"joy": 0.9, "anger": 0.1}}"#, "no probability for label \"sadness\""),
            (#"{"id": "r2", "probabilities": {"joy": 1.4, "anger": 0.1, "sadness": 0.2}}"#, "not a number from 0 to 1"),
            (#"{"id": "r2", "probabilities": {"joy": "high", "anger": 0.1, "sadness": 0.2}}"#, "not a number from 0 to 1"),
            (#"{"id": "r2", "probabilities": {"joy": 0.9, "anger": 0.1, "sadness": 0.2, "fear": 0.3}}"#, "label \"fear\" is not one of"),
            (#"{"probabilities": {"joy": 0.9, "anger": 0.1, "sadness": 0.2}}"#, "no \"id\""),
            (#"{"id": "r2", "label": "joy"}"#, "no \"probabilities\""),
            (#"["r2", 0.9]"#, "not a JSON object"),
            (#"{"custom_id": "item-2-abc", "response": {}}"#, "Batch API output file"),
        ]
        for (bad, expected) in cases {
            let url = try write([good, bad], in: project)
            do {
                _ = try MultiLabelPredictionFile.importPredictions(from: url, store: project.store, labels: project.labels, model: "m")
                Issue.record("accepted a bad line: \(bad)")
            } catch let error as InputError {
                #expect(error.file == url.path)
                #expect(error.line == 2)
                #expect(error.message.contains(expected), "\(error.message)")
            }
        }
        #expect(try project.store.allLatestPredictions(model: nil).isEmpty)
    }

    @Test func anUnreadableFileSaysWhich() throws {
        let project = try project()
        let missing = project.folder.appendingPathComponent("missing.jsonl")
        #expect(throws: InputError.self) {
            try MultiLabelPredictionFile.importPredictions(from: missing, store: project.store, labels: project.labels, model: "m")
        }
    }
}

@Suite struct SampledLabelSetScorerTests {
    func response(_ content: String) -> Result<HTTPResponse, HTTPFailure> {
        .success(HTTPResponse(status: 200, body: Data(CannedAnswers.chat(content: content, promptTokens: 100, completionTokens: 10).utf8)))
    }

    @Test func eachLabelsProbabilityIsItsShareOfTheValidLists() throws {
        let transport = ScriptedTransport([
            response(#"{"labels": ["joy"]}"#), response("```json\n{\"labels\": [\"sadness\", \"joy\"]}\n```"),
            response("I think none apply"), response(#"["Joy"]"#),
        ])
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://127.0.0.1:9/v1"), transport: transport)
        let scorer = SampledLabelSetScorer(client: client, model: "m", samples: 4, temperature: 0)
        let prompt = Prompt(messages: [.system("s"), .user("<item>\nhello\n</item>")], hash: "h")
        let score = try scorer.score(prompt, labels: MultiLabelScoringTests.emotions, context: ScoringContext())
        #expect(score.isValid)
        #expect(score.probabilities == ["joy": 1, "anger": 0, "sadness": 1.0 / 3])
        #expect(score.label == #"["joy"]"#)
        #expect(score.usage == TokenUsage(promptTokens: 400, completionTokens: 40))
        // Sampling: the configured temperature 0 became 1; the question asks for the list.
        let body = try JSONParser.parse(String(decoding: transport.sent[0].body ?? Data(), as: UTF8.self))
        #expect(body["temperature"]?.numberValue == 1)
        #expect(body["messages"]?.arrayValue?.last?["content"]?.stringValue?.hasSuffix(LabelQuestion.whichLabels) == true)
    }

    @Test func noValidListIsAnInvalidScoreWithTheReason() throws {
        let transport = ScriptedTransport([response(#"{"labels": ["fear"]}"#), response(#"{"labels": ["joy", 3]}"#)])
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://127.0.0.1:9/v1"), transport: transport)
        let scorer = SampledLabelSetScorer(client: client, model: "m", samples: 2, temperature: 0.7)
        let score = try scorer.score(Prompt(messages: [.user("x")], hash: "h"), labels: MultiLabelScoringTests.emotions,
                                     context: ScoringContext())
        #expect(!score.isValid)
        #expect(score.error?.contains("no valid list in 2 samples") == true)
        #expect(score.error?.contains("not a label name") == true)
        #expect(SampledLabelSetScorer.parse(#"{"labels": ["fear"]}"#, labels: MultiLabelScoringTests.emotions)
            == .failure(.init(message: "label \"fear\" is not in the label set")))
        #expect(SampledLabelSetScorer.parse(#"{"labels": []}"#, labels: MultiLabelScoringTests.emotions) == .success(.empty()))
    }
}
