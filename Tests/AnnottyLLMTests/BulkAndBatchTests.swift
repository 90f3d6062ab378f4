import AnnottyCore
import Foundation
import Testing
@testable import AnnottyLLM

@Suite struct BulkAndBatchTests {
    @Test func bulkRunKeepsRequestsInFlightAndResumesWithoutAskingAgain() throws {
        let project = try TestProject(items: (1...12).map { "item-\($0)" })
        let scorer = RecordingScorer(delay: 0.05)
        var settings = project.settings()
        settings.pricePerMillionInputTokens = 1
        let predictor = LLMPredictor(store: project.store, labels: project.labels, guidelines: project.guidelines,
                                     settings: settings, scorer: scorer)
        let ids = project.itemIds
        let first = try BulkPrelabeler(predictor: predictor, store: project.store, concurrency: 4).run(itemIds: Array(ids.prefix(7)))
        #expect(first.answered == 7 && first.done == 7 && first.skipped == 0)
        #expect(first.tokensIn == 70)
        #expect(abs(first.costUSD - 70e-6) < 1e-12)
        // Interrupted after 7: the second run does the other 5 only.
        let second = try BulkPrelabeler(predictor: predictor, store: project.store, concurrency: 4).run(itemIds: ids)
        #expect(second.skipped == 7)
        #expect(second.answered == 5)
        #expect(scorer.asked.count == 12)
        #expect(Set(scorer.asked) == Set((1...12).map { "item-\($0)" }))
    }

    @Test func cancellingABulkRunStopsIt() throws {
        let project = try TestProject(items: (1...20).map { "item-\($0)" })
        let token = CancellationToken()
        // Cancelled as the third item is asked (not after a time: under load a timer fires late).
        let scorer = RecordingScorer(delay: 0.2, onAsk: { asked in if asked == 3 { token.cancel() } })
        let predictor = LLMPredictor(store: project.store, labels: project.labels, guidelines: project.guidelines,
                                     settings: project.settings(), scorer: scorer)
        let result = try BulkPrelabeler(predictor: predictor, store: project.store, concurrency: 2)
            .run(itemIds: project.itemIds, cancellation: token)
        #expect(result.done < 20)
        #expect(try project.store.statusCounts().predicted == result.answered)
    }

    @Test func batchRequestFileRoundTripsThroughProviderResults() throws {
        let project = try TestProject(items: ["Lovely kettle.", "Broke in a day.", "It is a mat."])
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://unused/v1"))
        var settings = project.settings(model: "gpt-batch")
        settings.pricePerMillionInputTokens = 2
        settings.pricePerMillionOutputTokens = 8
        let predictor = LLMPredictor(store: project.store, labels: project.labels, guidelines: project.guidelines,
                                     settings: settings, scorer: try BatchFiles.scorer(settings: settings, client: client))
        let requests = project.folder.appendingPathComponent("requests.jsonl")
        #expect(try BatchFiles.writeRequests(itemIds: project.itemIds, predictor: predictor, to: requests) == 3)
        let lines = try String(contentsOf: requests, encoding: .utf8).split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(lines.count == 3)
        #expect(lines[0]["url"]?.stringValue == "/v1/chat/completions")
        #expect(lines[0]["body"]?["model"]?.stringValue == "gpt-batch")
        #expect(lines[0]["body"]?["logprobs"] == .bool(true))

        // The provider's output, out of order: a good answer, a label outside the set, a failure.
        let ids = project.itemIds
        func customId(_ line: JSONValue) -> String { line["custom_id"]!.stringValue! }
        let good = CannedAnswers.labelled("negative", alternatives: [("negative", log(0.8)), ("positive", log(0.2))])
        let outside = CannedAnswers.chat(content: "{\"label\": \"angry\"}")
        let output = [
            "{\"id\":\"b1\",\"custom_id\":\"\(customId(lines[1]))\",\"response\":{\"status_code\":200,\"body\":\(good)},\"error\":null}",
            "{\"id\":\"b2\",\"custom_id\":\"\(customId(lines[2]))\",\"response\":{\"status_code\":200,\"body\":\(outside)},\"error\":null}",
            "{\"id\":\"b3\",\"custom_id\":\"\(customId(lines[0]))\",\"response\":{\"status_code\":500,\"body\":{\"error\":{\"message\":\"server overloaded\"}}},\"error\":null}",
            "not a result",
        ].joined(separator: "\n")
        let results = project.folder.appendingPathComponent("results.jsonl")
        try output.write(to: results, atomically: true, encoding: .utf8)
        let summary = try BatchFiles.importResults(from: results, predictor: predictor)
        #expect(summary.answered == 1 && summary.invalid == 1 && summary.failed == 1 && summary.malformedLines == 1)
        // Two answers (the invalid one is paid for too) of 120 in and 6 out, at half of $2 / $8 per million.
        #expect(abs(summary.costUSD - 2 * (120 * 2 + 6 * 8) / 1e6 * 0.5) < 1e-12)

        let stored = try project.store.latestPredictions(itemIds: ids)
        #expect(stored[ids[1]]?.label == "negative")
        // neutral and mixed were not among the alternatives: each gets the smallest reported, 0.2.
        #expect(abs((stored[ids[1]]?.probabilities["negative"] ?? 0) - 0.8 / 1.4) < 1e-9)
        #expect(stored[ids[2]]?.isValid == false)
        #expect(stored[ids[0]]?.error == "batch request failed (HTTP 500): server overloaded")
        // The imported answer is cached under its prompt: a live run would not ask again.
        let item = try #require(try project.store.item(id: ids[1]))
        #expect(try predictor.cachedPrediction(for: item)?.label == "negative")
        // And a second request file leaves out what is answered, keeping the failed one.
        #expect(try BatchFiles.writeRequests(itemIds: ids, predictor: predictor, to: requests) == 1)
    }
}
