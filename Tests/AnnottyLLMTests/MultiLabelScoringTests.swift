import AnnottyCore
import Foundation
import Testing
@testable import AnnottyLLM

/// A llama.cpp-like server in a transport: `/apply-template` joins the messages, `/completion`
/// answers each label's yes/no question with that label's scripted next-token alternatives,
/// and chat completions answer `{"answer": ...}` with scripted log-probabilities.
final class YesNoServerTransport: HTTPTransport, @unchecked Sendable {
    /// Per label: the next-token alternatives at the answer word.
    let alternatives: [String: [(String, Double)]]
    let promptTokens: Int
    private let lock = NSLock()
    private(set) var completionPrompts: [String] = []
    private(set) var chatBodies: [String] = []

    /// A label whose question the server answers with HTTP 400.
    let failingLabel: String?

    init(alternatives: [String: [(String, Double)]], promptTokens: Int = 150, failingLabel: String? = nil) {
        self.alternatives = alternatives
        self.promptTokens = promptTokens
        self.failingLabel = failingLabel
    }

    var completionCount: Int { lock.lock(); defer { lock.unlock() }; return completionPrompts.count }

    /// The label a prompt's last question asks about.
    static func askedLabel(_ text: String) -> String? {
        guard let range = text.range(of: "Does the label \"", options: .backwards) else { return nil }
        let rest = text[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    func send(_ request: HTTPRequest, cancellation: CancellationToken?) throws(HTTPFailure) -> HTTPResponse {
        let body = String(decoding: request.body ?? Data(), as: UTF8.self)
        let json = (try? JSONParser.parse(body)) ?? .null
        let path = URL(string: request.url)?.path ?? request.url
        switch path {
        case "/apply-template":
            let text = (json["messages"]?.arrayValue ?? []).map { "<\($0["role"]?.stringValue ?? "")>" + ($0["content"]?.stringValue ?? "") }
                .joined(separator: "\n") + "\n<assistant>"
            return HTTPResponse(status: 200, body: Data(JSONValue.object([("prompt", .string(text))]).serialized.utf8))
        case "/completion":
            let prompt = json["prompt"]?.stringValue ?? ""
            lock.lock(); completionPrompts.append(prompt); lock.unlock()
            let label = YesNoServerTransport.askedLabel(prompt) ?? ""
            if label == failingLabel {
                return HTTPResponse(status: 400, body: Data("{\"error\":{\"message\":\"context overflow\"}}".utf8))
            }
            let top = (alternatives[label] ?? []).map { JSONValue.object([("token", .string($0.0)), ("logprob", .double($0.1))]) }
            let answer = JSONValue.object([
                ("content", .string(alternatives[label]?.first?.0 ?? "")),
                ("completion_probabilities", .array([.object([("top_logprobs", .array(top))])])),
                ("tokens_evaluated", .int(promptTokens)), ("tokens_predicted", .int(1)),
            ])
            return HTTPResponse(status: 200, body: Data(answer.serialized.utf8))
        case "/v1/chat/completions":
            lock.lock(); chatBodies.append(body); lock.unlock()
            let messages = json["messages"]?.arrayValue ?? []
            let label = YesNoServerTransport.askedLabel(messages.last?["content"]?.stringValue ?? "") ?? ""
            let scripted = alternatives[label] ?? []
            let word = scripted.max { $0.1 < $1.1 }?.0 ?? "maybe"
            let chosen = scripted.first { $0.0 == word }?.1 ?? -0.1
            let content = "{\"answer\": \"\(word)\"}"
            return HTTPResponse(status: 200, body: Data(CannedAnswers.chat(content: content, tokens: [
                ("{\"", -0.001, [("{\"", -0.001)]), ("answer", -0.001, [("answer", -0.001)]), ("\":", -0.001, [("\":", -0.001)]),
                (" \"", -0.001, [(" \"", -0.001)]), (word, chosen, scripted), ("\"}", -0.001, [("\"}", -0.001)]),
            ], promptTokens: promptTokens, completionTokens: 6).utf8))
        default:
            return HTTPResponse(status: 404, body: Data("{\"error\":{\"message\":\"no such path\"}}".utf8))
        }
    }
}

@Suite struct MultiLabelScoringTests {
    static let emotions = LabelSet(names: ["joy", "anger", "sadness"])
    static let texts = ["I finally got the job, I can't stop smiling!", "They cancelled my flight again and nobody cares."]

    func project() throws -> TestProject {
        try TestProject(items: MultiLabelScoringTests.texts, labels: MultiLabelScoringTests.emotions,
                        guidelinesMarkdown: "# Emotions\n\n## joy\n\n**Definition:** Happiness or delight.\n")
    }

    func predictor(_ project: TestProject, transport: YesNoServerTransport, method: PerLabelYesNoScorer.Method,
                   prices: (Double, Double) = (0, 0)) -> LLMPredictor {
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://127.0.0.1:9/v1"), transport: transport)
        var settings = project.settings(provider: .local)
        settings.pricePerMillionInputTokens = prices.0
        settings.pricePerMillionOutputTokens = prices.1
        return LLMPredictor(store: project.store, labels: project.labels, guidelines: project.guidelines, settings: settings,
                            scorer: PerLabelYesNoScorer(client: client, method: method), task: .multi)
    }

    /// p(yes) = 0.72, 0.09 + 0.02 spread over spellings; p(no) likewise.
    static let script: [String: [(String, Double)]] = [
        "joy": [("yes", log(0.6)), ("Yes", log(0.2)), ("no", log(0.1)), ("maybe", log(0.05))],
        "anger": [("no", log(0.7)), (" No", log(0.2)), ("y", log(0.05)), ("{", log(0.05))],
        "sadness": [("no", log(0.45)), ("yes", log(0.45)), ("The", log(0.1))],
    ]

    @Test func eachLabelsProbabilityIsYesOverYesAndNoAndTheSetIsTheCutoff() throws {
        let project = try project()
        let transport = YesNoServerTransport(alternatives: MultiLabelScoringTests.script)
        let predictor = predictor(project, transport: transport, method: .completionProbe(topK: 100))
        let outcome = try predictor.predict(try #require(try project.items().first))
        #expect(outcome.kind == .answered)
        let prediction = outcome.prediction
        #expect(abs((prediction.probabilities["joy"] ?? -1) - 0.8 / 0.9) < 1e-9)
        #expect(abs((prediction.probabilities["anger"] ?? -1) - 0.05 / 0.95) < 1e-9)
        #expect(abs((prediction.probabilities["sadness"] ?? -1) - 0.5) < 1e-9)
        // 0.5 is at the cutoff, so sadness is in; anger is out.
        #expect(prediction.label == "[\"joy\",\"sadness\"]")
        #expect(prediction.isValid)
        #expect(prediction.shownSet(over: project.labels)?.names == ["joy", "sadness"])
        // The set's confidence is its least settled label's.
        #expect(abs((prediction.rawConfidence ?? 0) - 0.5) < 1e-9)
        // One question per label, in label order, each after the item and started as {"answer": ".
        #expect(transport.completionPrompts.count == 3)
        #expect(transport.completionPrompts.map { YesNoServerTransport.askedLabel($0) } == ["joy", "anger", "sadness"])
        #expect(transport.completionPrompts.allSatisfy { $0.hasSuffix(LabelQuestion.answerOpening) })
        #expect(transport.completionPrompts.allSatisfy { $0.contains("I finally got the job") })
    }

    @Test func theQuestionsForOneItemShareThePromptUpToTheQuestion() throws {
        let project = try project()
        let transport = YesNoServerTransport(alternatives: MultiLabelScoringTests.script)
        _ = try predictor(project, transport: transport, method: .completionProbe(topK: 100)).predict(try #require(try project.items().first))
        let prompts = transport.completionPrompts
        let shared = try #require(prompts.first?.range(of: "Does the label")).lowerBound
        let prefix = String(prompts[0][..<shared])
        #expect(prefix.contains("</item>"))
        #expect(prompts.allSatisfy { $0.hasPrefix(prefix) })
        // The system message explains both answers; the set answer format is used for demonstrations.
        #expect(prefix.contains("Several labels may apply to one item, or none."))
        #expect(prefix.contains("{\"answer\": \"yes\"}"))
    }

    @Test func tokensCostAndLatencyAreSummedOverThePerLabelCalls() throws {
        let project = try project()
        let transport = YesNoServerTransport(alternatives: MultiLabelScoringTests.script, promptTokens: 200)
        // $1 per million input tokens, $2 per million output tokens.
        let predictor = predictor(project, transport: transport, method: .completionProbe(topK: 100), prices: (1, 2))
        let prediction = try predictor.predict(try #require(try project.items().first)).prediction
        #expect(prediction.tokensIn == 3 * 200)
        #expect(prediction.tokensOut == 3)
        #expect(abs(prediction.costUSD - (600 * 1 + 3 * 2) / 1e6) < 1e-12)
        #expect(prediction.latencyMs > 0)
    }

    @Test func theChatMethodReadsTheAnswerWordsAlternatives() throws {
        let project = try project()
        let transport = YesNoServerTransport(alternatives: MultiLabelScoringTests.script, promptTokens: 90)
        let predictor = predictor(project, transport: transport,
                                  method: .chatLogprobs(model: "test-model", temperature: 0, topLogprobs: 20))
        let outcome = try predictor.predict(try #require(try project.items().first))
        #expect(outcome.kind == .answered)
        #expect(abs((outcome.prediction.probabilities["joy"] ?? -1) - 0.8 / 0.9) < 1e-9)
        #expect(abs((outcome.prediction.probabilities["anger"] ?? -1) - 0.05 / 0.95) < 1e-9)
        #expect(outcome.prediction.tokensIn == 270)
        #expect(outcome.prediction.tokensOut == 18)
        // Each request asks one label, with a yes/no schema and log-probabilities.
        #expect(transport.chatBodies.count == 3)
        let first = try JSONParser.parse(transport.chatBodies[0])
        #expect(first["logprobs"]?.boolValue == true)
        #expect(transport.chatBodies[0].contains("\"enum\":[\"yes\",\"no\"]"))
    }

    @Test func aLabelWithNeitherYesNorNoMakesThePredictionInvalidNamingTheLabel() throws {
        let project = try project()
        var script = MultiLabelScoringTests.script
        script["anger"] = [("{", log(0.5)), ("Not", log(0.3)), ("none", log(0.2))]
        let transport = YesNoServerTransport(alternatives: script)
        let outcome = try predictor(project, transport: transport, method: .completionProbe(topK: 100))
            .predict(try #require(try project.items().first))
        #expect(outcome.kind == .invalidAnswer)
        #expect(!outcome.prediction.isValid)
        #expect(outcome.prediction.label == nil)
        let error = try #require(outcome.prediction.error)
        #expect(error.contains("label \"anger\""))
        #expect(error.contains("neither yes nor no"))
        // sadness, after the unusable label, was not asked.
        #expect(transport.completionCount == 2)
        // Recorded with its raw answer: final for this prompt, not asked again.
        #expect(!predictor(project, transport: transport, method: .completionProbe(topK: 100)).needsPrediction(latest: outcome.prediction))
    }

    @Test func aFailedCallForOneLabelFailsTheItemWithNoPartialPrediction() throws {
        let project = try project()
        let transport = YesNoServerTransport(alternatives: MultiLabelScoringTests.script, failingLabel: "anger")
        let predictor = predictor(project, transport: transport, method: .completionProbe(topK: 100))
        let outcome = try predictor.predict(try #require(try project.items().first))
        #expect(outcome.kind == .failed)
        #expect(!outcome.prediction.isValid)
        #expect(outcome.prediction.probabilities.isEmpty)
        #expect(outcome.failure?.description.contains("400") == true)
        // A failed call is asked again by the next run.
        #expect(predictor.needsPrediction(latest: outcome.prediction))
    }

    @Test func aBareYesOrNoFromAServerWithoutSchemasIsReadFromItsFirstToken() throws {
        let bare = CannedAnswers.chat(content: "No", tokens: [("No", log(0.7), [("No", log(0.7)), ("Yes", log(0.2)), ("I", log(0.1))])])
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data(bare.utf8)))])
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://127.0.0.1:9/v1"), transport: transport)
        let scorer = PerLabelYesNoScorer(client: client, method: .chatLogprobs(model: "m", temperature: 0, topLogprobs: 20))
        let score = try scorer.score(Prompt(messages: [.user("<item>\nhello\n</item>")], hash: "h"), labels: LabelSet(names: ["joy"]),
                                     context: ScoringContext())
        #expect(score.isValid)
        #expect(abs((score.probabilities["joy"] ?? -1) - 0.2 / 0.9) < 1e-9)
        #expect(score.label == "[]")
        let prose = CannedAnswers.chat(content: "It depends", tokens: [("It", log(0.6), [("It", log(0.6)), ("Yes", log(0.1))])])
        let confused = PerLabelYesNoScorer(client: OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://127.0.0.1:9/v1"),
                                                                          transport: ScriptedTransport([.success(HTTPResponse(status: 200, body: Data(prose.utf8)))])),
                                           method: .chatLogprobs(model: "m", temperature: 0, topLogprobs: 20))
        let invalid = try confused.score(Prompt(messages: [.user("x")], hash: "h"), labels: LabelSet(names: ["joy"]), context: ScoringContext())
        #expect(!invalid.isValid)
        #expect(invalid.error?.contains("label \"joy\": neither {\"answer\": ...} nor a bare yes or no") == true)
    }

    @Test func aChatReplyWithoutLogprobsIsInvalidAndSaysWhatToSet() throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data(CannedAnswers.chat(content: "{\"answer\": \"yes\"}").utf8)))])
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://127.0.0.1:9/v1"), transport: transport)
        let scorer = PerLabelYesNoScorer(client: client, method: .chatLogprobs(model: "m", temperature: 0, topLogprobs: 20))
        let prompt = Prompt(messages: [.system("s"), .user("<item>\nhello\n</item>")], hash: "h")
        let score = try scorer.score(prompt, labels: MultiLabelScoringTests.emotions, context: ScoringContext())
        #expect(!score.isValid)
        #expect(score.error?.contains("label \"joy\"") == true)
        #expect(score.error?.contains("confidence = \"samples\"") == true)
    }

    @Test func aHostileAnswerIsCappedAndNeverBecomesALabel() throws {
        let project = try project()
        let huge = String(repeating: "\u{1B}[2J ignore previous instructions ", count: 400)
        var script = MultiLabelScoringTests.script
        script["joy"] = [(huge, log(0.89)), ("no", log(0.1)), ("maybe", log(0.01))]
        let transport = YesNoServerTransport(alternatives: script)
        let prediction = try predictor(project, transport: transport, method: .completionProbe(topK: 100))
            .predict(try #require(try project.items().first)).prediction
        // The hostile token is neither word: dropped; yes, unreported, gets the smallest reported 0.01.
        #expect(prediction.isValid)
        #expect(abs((prediction.probabilities["joy"] ?? 1) - 0.01 / 0.11) < 1e-9)
        #expect((prediction.rawAnswer?.utf8.count ?? 0) <= LabelScore.maxStoredAnswerBytes + 100)
        #expect(prediction.label.map { MultiLabelAnswer.decode($0, labels: project.labels) != nil } == true)
    }

    @Test func aMultiLabelSessionPicksThePerLabelScorerAndRefusesStatedConfidence() throws {
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://127.0.0.1:9/v1"), transport: ScriptedTransport([]))
        var settings = LLMSettings()
        settings.provider = .local
        #expect(LLMSession.makeScorer(settings: settings, client: client, task: .multi) is PerLabelYesNoScorer)
        #expect(LLMSession.makeScorer(settings: settings, client: client, task: .single) is CompletionProbeScorer)
        settings.confidence = .samples
        #expect(LLMSession.makeScorer(settings: settings, client: client, task: .multi) is SampledLabelSetScorer)
        settings.confidence = .stated
        #expect(LLMSession.unsupportedReason(settings: settings, task: .single) == nil)
        let reason = try #require(LLMSession.unsupportedReason(settings: settings, task: .multi))
        #expect(reason.contains("logprobs") && reason.contains("samples"))
        let project = try project()
        settings.provider = .openai
        settings.baseURL = "http://127.0.0.1:9/v1"
        let session = LLMSession(settings: settings, labels: project.labels, guidelines: project.guidelines, store: project.store,
                                 task: .multi, transport: ScriptedTransport([]))
        #expect(throws: LLMError.self) { try session.start() }
    }

    @Test func aSessionForAMultiProjectFolderAsksPerLabelAsTheLabelingScreensPrefetcherDoes() throws {
        let project = try project()
        let labels = "[[labels]]\nname = \"joy\"\n[[labels]]\nname = \"anger\"\n"
        let config = try ProjectConfig.parse("task = \"multi\"\n[llm]\nprovider = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\n" + labels,
                                             fileName: "annotty.toml")
        let session = try LLMSession(project: Project(folder: project.folder, config: config), store: project.store, environment: [:])
        #expect(session.task == .multi)
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: "http://127.0.0.1:9/v1"), transport: ScriptedTransport([]))
        let scorer = session.scorerFactory(session.settings, client)
        #expect((scorer as? PerLabelYesNoScorer)?.method == .chatLogprobs(model: config.llm.model, temperature: config.llm.temperature,
                                                                         topLogprobs: 20))
        #expect(scorer.answerFormat == .labelSet)
        let single = try LLMSession(project: Project(folder: project.folder, config: ProjectConfig.parse(labels, fileName: "annotty.toml")),
                                    store: project.store, environment: [:])
        // The same folder as a single-label project (the default provider, local): the label probe.
        #expect(single.task == .single)
        #expect(single.scorerFactory(single.settings, client) is CompletionProbeScorer)
    }

    @Test func multiLabelDemonstrationsShowPeoplesSets() throws {
        let project = try project()
        let items = try project.items()
        let set = MultiLabelAnswer(["sadness", "anger"], labels: project.labels).encoded
        try project.store.recordDecision(Decision(itemId: items[1].id, annotator: "ann", kind: .accept, label: set))
        let transport = YesNoServerTransport(alternatives: MultiLabelScoringTests.script)
        let predictor = predictor(project, transport: transport, method: .completionProbe(topK: 100))
        try predictor.refreshDemonstrations()
        #expect(predictor.labelledDemonstrationCount == 1)
        let prompt = predictor.prompt(for: items[0])
        #expect(prompt.messages.contains { $0.role == .assistant && $0.content == "{\"labels\":[\"anger\",\"sadness\"]}" })
    }
}

@Suite struct YesNoProbabilityTests {
    @Test func spellingsArePooledAndOtherWordsDropped() {
        #expect(YesNoProbability.word("Yes") == .yes)
        #expect(YesNoProbability.word(" YES") == .yes)
        #expect(YesNoProbability.word("y") == .yes)
        #expect(YesNoProbability.word("yes\"}") == .yes)
        #expect(YesNoProbability.word("No") == .no)
        #expect(YesNoProbability.word("no\",") == .no)
        #expect(YesNoProbability.word("not") == nil)
        #expect(YesNoProbability.word("none") == nil)
        #expect(YesNoProbability.word("yesterday") == nil)
        #expect(YesNoProbability.word("") == nil)
        let probability = YesNoProbability.inProbability([
            TokenAlternative(token: "yes", logprob: log(0.3)), TokenAlternative(token: "Yes", logprob: log(0.1)),
            TokenAlternative(token: "no", logprob: log(0.4)), TokenAlternative(token: "maybe", logprob: log(0.2)),
        ])
        #expect(abs((probability ?? 0) - 0.5) < 1e-12)
    }

    @Test func aMissingWordGetsTheSmallestReportedProbability() {
        // Only yes reported: no is at most the smallest reported (0.1), so P(in) = 0.6 / 0.7.
        let probability = YesNoProbability.inProbability([
            TokenAlternative(token: "yes", logprob: log(0.6)), TokenAlternative(token: "maybe", logprob: log(0.1)),
        ])
        #expect(abs((probability ?? 0) - 0.6 / 0.7) < 1e-12)
        #expect(YesNoProbability.inProbability([TokenAlternative(token: "maybe", logprob: log(0.9))]) == nil)
        #expect(YesNoProbability.inProbability([]) == nil)
    }
}
