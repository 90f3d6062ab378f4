import AnnottyCore
import Dispatch
import Foundation
import Synchronization
import Testing
@testable import AnnottyLLM

/// CoNLL-2003 English test sentences (`eng.testb`) with their gold spans, from the shared datasets.
enum CoNLLSample {
    static let testb = LocalModel.repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/datasets/conll2003/eng.testb").path
    static let types = LabelSet(names: ["PER", "LOC", "ORG", "MISC"])
    static let guidelines = """
        # Named entities (CoNLL-2003)

        Mark every mention of a named entity.

        ## PER

        **Definition:** A person's name.

        ## LOC

        **Definition:** A place: country, city, region, river, mountain.

        ## ORG

        **Definition:** An organisation: company, team, party, agency, newspaper.

        ## MISC

        **Definition:** Another named entity: nationality, event, language, title of a work.
        """

    /// The first `count` sentences with at least one entity, past the leading headlines.
    static func sentences(_ count: Int) throws -> [SpanItem] {
        Array(try CoNLLReader().read(path: testb).filter { !$0.spans.isEmpty && $0.tokens.count >= 6 }.prefix(count))
    }
}

/// Entity pre-labels from the real local model (llama.cpp with SmolLM2-135M): whatever the tiny
/// model proposes, every span is at the item's own offsets and every invalid answer says why.
@Suite(.serialized, .enabled(if: LocalModel.available && FileManager.default.fileExists(atPath: CoNLLSample.testb),
                             Comment(rawValue: LocalModel.missingMessage + " and ../shared/datasets/conll2003")))
struct SpanLocalModelTests {
    func predictor(texts: [String], samples: Int) throws -> (LLMPredictor, TestProject) {
        let project = try TestProject(items: texts, labels: CoNLLSample.types, guidelinesMarkdown: CoNLLSample.guidelines)
        // Grammar-constrained sampling on a busy 2-core machine is slow: generous timeouts.
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: try LocalModel.sharedBaseURL(),
                                                                  timeouts: HTTPTimeouts(idleSeconds: 300, totalSeconds: 300)))
        var settings = project.settings(provider: .local, confidence: .samples, model: "smollm2-135m-instruct")
        settings.samples = samples
        settings.demonstrations = 0
        let predictor = LLMPredictor(store: project.store, labels: project.labels, guidelines: project.guidelines, settings: settings,
                                     scorer: LLMSession.makeScorer(settings: settings, client: client, task: .spans), task: .spans)
        return (predictor, project)
    }

    @Test func threeSentencesGetSpansAtTheirOwnOffsetsOrAReason() throws {
        let sentences = try CoNLLSample.sentences(3)
        let (predictor, project) = try predictor(texts: sentences.map(\.text), samples: 2)
        for item in try project.items() {
            let outcome = try predictor.predict(item)
            let prediction = outcome.prediction
            print("SPANS-LOCAL \(outcome.kind) \(prediction.label ?? "-") \(prediction.error ?? "")")
            #expect(prediction.rawAnswer?.isEmpty == false)
            #expect(prediction.tokensIn > 0)
            switch outcome.kind {
            case .answered:
                let proposed = try #require(prediction.proposedSpans(in: item.text))
                let text = ScalarText(item.text)
                for (span, confidence) in proposed {
                    #expect(CoNLLSample.types.contains(span.type))
                    #expect(text.slice(span.start, span.end) == span.text)
                    #expect(confidence > 0.5 && confidence <= 1)
                }
                #expect(prediction.label == SpanAnnotation.label(for: proposed.map(\.span)))
            case .invalidAnswer:
                #expect(prediction.label == nil)
                #expect(prediction.error?.isEmpty == false)
            case .cached, .failed:
                Issue.record("unexpected outcome \(outcome.kind): \(outcome.reason ?? "")")
            }
        }
        // Every answer is stored, valid or not (an invalid one with its reason, not asked again).
        let stored = try project.store.latestPredictions(itemIds: project.itemIds)
        #expect(stored.count == 3)
        #expect(stored.values.allSatisfy { !predictor.needsPrediction(latest: $0) })
    }

    /// A measurement, not a check: ANNOTTY_MEASURE_SPANS=200 (sentences; ANNOTTY_MEASURE_SPANS_SAMPLES
    /// for k, default 5) prints the seconds per sentence and the exact-match entity F1 against the
    /// gold spans, an invalid answer counting as no entity (docs/benchmarks.md).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ANNOTTY_MEASURE_SPANS"] != nil))
    func measureTimePerSentenceAndEntityF1() throws {
        let environment = ProcessInfo.processInfo.environment
        let count = Int(environment["ANNOTTY_MEASURE_SPANS"] ?? "") ?? 200
        let samples = Int(environment["ANNOTTY_MEASURE_SPANS_SAMPLES"] ?? "") ?? 5
        let sentences = try CoNLLSample.sentences(count)
        let (predictor, project) = try predictor(texts: sentences.map(\.text), samples: samples)
        let items = try project.items()
        let goldByText = Dictionary(sentences.map { ($0.text, $0.spans.map(\.key)) }, uniquingKeysWith: { first, _ in first })
        let results = Mutex<[(gold: [SpanKey], predicted: [SpanKey], valid: Bool, seconds: Double)]>([])
        let started = Date()
        // As many at once as the shared server has slots.
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for index in stride(from: worker, to: items.count, by: 4) {
                let item = items[index]
                let begun = Date()
                let outcome = try? predictor.predict(item)
                let predicted = outcome.flatMap { $0.prediction.isValid ? $0.prediction.proposedSpans(in: item.text) : nil } ?? []
                let entry = (gold: goldByText[item.text] ?? [], predicted: predicted.map(\.span.key),
                             valid: outcome?.kind == .answered, seconds: Date().timeIntervalSince(begun))
                results.withLock { $0.append(entry) }
            }
        }
        let wall = Date().timeIntervalSince(started)
        let all = results.withLock { $0 }
        var score = EntityF1()
        for result in all { score.add(gold: result.gold, predicted: result.predicted) }
        let latencies = all.map(\.seconds).sorted()
        print(String(format: "SPANS-MEASURE sentences=%d samples=%d wall=%.1f s wall/sentence=%.2f s latency median=%.2f s "
                     + "valid=%d P=%.3f R=%.3f F1=%.3f", all.count, samples, wall, wall / Double(max(1, all.count)),
                     latencies.isEmpty ? 0 : latencies[latencies.count / 2], all.filter(\.valid).count,
                     score.precision, score.recall, score.f1))
        #expect(all.count == items.count)
    }
}
