import AnnottyCore
import Foundation
import Testing
@testable import AnnottyLLM
#if canImport(Glibc)
import Glibc
#endif

/// Against the real offline default: llama.cpp's server with SmolLM2-135M, started from the
/// project-local Python environment.
@Suite(.serialized, .enabled(if: LocalModel.available, Comment(rawValue: LocalModel.missingMessage)))
struct LocalModelIntegrationTests {
    func expectDistribution(_ prediction: Prediction, over labels: LabelSet) {
        #expect(Set(prediction.probabilities.keys) == Set(labels.names))
        #expect(abs(prediction.probabilities.values.reduce(0, +) - 1) < 1e-9)
        #expect(prediction.probabilities.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(prediction.label == labels.names.max { (prediction.probabilities[$0] ?? 0) < (prediction.probabilities[$1] ?? 0) })
    }

    @Test func sessionStartsTheServerPrelabelsTheSampleDataAndASecondRunIsServedFromTheCache() throws {
        let sample = try LocalModel.sampleReviews(5)
        let project = try TestProject(items: sample.texts, guidelinesMarkdown: sample.guidelines)
        var settings = project.settings(provider: .local)
        settings.model = "smollm2-135m-instruct"
        let transport = CountingTransport()
        let session = LLMSession(settings: settings, labels: project.labels, guidelines: project.guidelines, store: project.store,
                                 transport: transport, localEnvironment: { .success(LocalModel.environment!) })
        let predictor = try session.start()
        let pid = try #require(session.localServer?.pid)
        let items = try project.items()
        for item in items {
            let outcome = try predictor.predict(item)
            #expect(outcome.kind == .answered)
            expectDistribution(outcome.prediction, over: project.labels)
            #expect(outcome.prediction.tokensIn > 100)
            #expect(outcome.prediction.latencyMs > 0)
            #expect(outcome.prediction.promptHash.count == 64)
        }
        let requestsAfterFirstRun = transport.count("/completion")
        #expect(requestsAfterFirstRun >= items.count)
        for item in items {
            #expect(try predictor.predict(item).kind == .cached)
        }
        #expect(transport.count("/completion") == requestsAfterFirstRun)
        #expect(try project.store.statusCounts().predicted == items.count)
        session.stop()
        // The server and its process group are gone.
        #expect(kill(pid, 0) == -1)
    }

    @Test func sharedFirstTokensAreProbedOnTheRealTokenizer() throws {
        // SmolLM2 splits these as not|_|ent|ail|ment and not|_|sure: two shared tokens.
        let labels = LabelSet(names: ["not_entailment", "not_sure", "entailment"])
        let project = try TestProject(items: ["A man is sleeping. / A man is awake."], labels: labels, guidelinesMarkdown: "# Entailment\n")
        let transport = CountingTransport()
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: try LocalModel.sharedBaseURL()), transport: transport)
        let predictor = LLMPredictor(store: project.store, labels: labels, guidelines: project.guidelines,
                                     settings: project.settings(provider: .local), scorer: CompletionProbeScorer(client: client))
        let outcome = try predictor.predict(try #require(try project.items().first))
        #expect(outcome.kind == .answered)
        expectDistribution(outcome.prediction, over: labels)
        // The first probe, then only branches shared by the two not_ labels ("n", "no", "not",
        // "not_" and the like, as the model ranks them), within the budget of 6.
        let probedPrefixes = try transport.sentBodies("/completion").map { body -> String in
            let prompt = try #require(try JSONParser.parse(body)["prompt"]?.stringValue)
            let opening = try #require(prompt.range(of: CompletionProbeScorer.answerOpening, options: .backwards))
            return String(prompt[opening.upperBound...])
        }
        #expect(probedPrefixes.first == "")
        #expect(probedPrefixes.count >= 2 && probedPrefixes.count <= 7)
        #expect(probedPrefixes.dropFirst().allSatisfy { "not_sure".hasPrefix($0) && "not_entailment".hasPrefix($0) && !$0.isEmpty })
    }

    @Test func theSystemPromptIsCopiedIntoEverySlot() throws {
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: try LocalModel.sharedBaseURL()))
        let builder = PromptBuilder(guidelines: Guidelines(markdown: TestProject.sentimentGuidelines, labels: TestProject.sentimentLabels),
                                    labels: TestProject.sentimentLabels)
        // The shared server has 4 slots: computed in one, restored into three.
        #expect(SlotWarmer.warm(client: client, systemMessage: builder.systemMessage, slots: 4) == 4)
    }

    @Test func chatCompletionsWithLogprobsWorkOnTheRealServerToo() throws {
        let project = try TestProject(items: Array(TestProject.reviews.prefix(2)))
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: try LocalModel.sharedBaseURL()))
        let predictor = LLMPredictor(store: project.store, labels: project.labels, guidelines: project.guidelines,
                                     settings: project.settings(provider: .openai), scorer: ChatLogprobScorer(client: client, model: "local"))
        for item in try project.items() {
            let outcome = try predictor.predict(item)
            #expect(outcome.kind == .answered)
            expectDistribution(outcome.prediction, over: project.labels)
            #expect(outcome.prediction.tokensOut > 3)
        }
    }

    @Test func statedConfidenceWorksOnTheRealServer() throws {
        let project = try TestProject(items: Array(TestProject.reviews.prefix(1)))
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: try LocalModel.sharedBaseURL()))
        let predictor = LLMPredictor(store: project.store, labels: project.labels, guidelines: project.guidelines,
                                     settings: project.settings(provider: .openai), scorer: StatedConfidenceScorer(client: client, model: "local"))
        for item in try project.items() {
            let outcome = try predictor.predict(item)
            // A 135M model may state nonsense; either way the outcome is recorded and typed.
            if outcome.kind == .answered {
                expectDistribution(outcome.prediction, over: project.labels)
            } else if outcome.kind == .failed {
                // On a machine busy with other builds the 135M model can miss the time limit; the
                // failure is then recorded with a reason that names the timeout setting to raise.
                let reason = outcome.prediction.error ?? ""
                #expect(reason.contains("raise") && reason.contains("timeout"), "\(reason)")
            } else {
                #expect(outcome.kind == .invalidAnswer)
                #expect(outcome.prediction.error != nil)
            }
        }
    }
}
