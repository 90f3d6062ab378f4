import AnnottyCore
import Foundation
import Testing
@testable import AnnottyLLM

/// GoEmotions (Ekman taxonomy) comments with their gold sets, from the fixture in AnnottyCoreTests.
enum GoEmotionsSample {
    static let folder = LocalModel.repositoryRoot.appendingPathComponent("Tests/AnnottyCoreTests/Fixtures/goemotions-ekman")

    static func labels() throws -> LabelSet {
        let text = try String(contentsOf: folder.appendingPathComponent("labels.txt"), encoding: .utf8)
        return LabelSet(names: text.split(whereSeparator: \.isNewline).map(String.init))
    }

    /// The first `count` dev comments: text and gold set.
    static func items(_ count: Int, labels: LabelSet) throws -> [(text: String, gold: MultiLabelAnswer)] {
        let text = try String(contentsOf: folder.appendingPathComponent("dev.tsv"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).prefix(count).map { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            let indices = Set(columns[1].split(separator: ",").compactMap { Int($0) })
            return (String(columns[0]), MultiLabelAnswer(indices: indices, labels: labels))
        }
    }
}

/// The yes/no-per-label scorer against the real local model (llama.cpp with SmolLM2-135M).
@Suite(.serialized, .enabled(if: LocalModel.available, Comment(rawValue: LocalModel.missingMessage)))
struct MultiLabelLocalModelTests {
    func predictor(labels: LabelSet, texts: [String]) throws -> (LLMPredictor, TestProject, CountingTransport) {
        let project = try TestProject(items: texts, labels: labels,
                                      guidelinesMarkdown: "# Emotions in Reddit comments\n\nMark every emotion the comment expresses.\n")
        let transport = CountingTransport()
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: try LocalModel.sharedBaseURL()), transport: transport)
        let predictor = LLMPredictor(store: project.store, labels: labels, guidelines: project.guidelines,
                                     settings: project.settings(provider: .local, model: "smollm2-135m-instruct"),
                                     scorer: PerLabelYesNoScorer(client: client, method: .completionProbe(topK: 100)), task: .multi)
        return (predictor, project, transport)
    }

    @Test func threeGoEmotionsItemsGetEveryLabelsProbabilityAndTheSetIsTheirCutoff() throws {
        let labels = try GoEmotionsSample.labels()
        let sample = try GoEmotionsSample.items(3, labels: labels)
        let (predictor, project, transport) = try predictor(labels: labels, texts: sample.map(\.text))
        for item in try project.items() {
            let outcome = try predictor.predict(item)
            #expect(outcome.kind == .answered, "\(outcome.reason ?? "")")
            let prediction = outcome.prediction
            #expect(Set(prediction.probabilities.keys) == Set(labels.names))
            #expect(prediction.probabilities.values.allSatisfy { $0 >= 0 && $0 <= 1 })
            let cutoff = MultiLabelAnswer.predicted(inProbabilities: prediction.vector(over: labels), labels: labels)
            #expect(prediction.label == cutoff.encoded)
            #expect(prediction.tokensIn > 0 && prediction.tokensOut == labels.count)
        }
        // One probe per label per item, each after its own rendering of the template.
        #expect(transport.count("/completion") == 3 * labels.count)
        #expect(transport.count("/apply-template") == 3 * labels.count)
        #expect(try project.store.statusCounts().predicted == 3)
    }

    @Test func sampledListsOnTheLocalServerGiveEachLabelsShareOfTheValidLists() throws {
        let labels = try GoEmotionsSample.labels()
        let sample = try GoEmotionsSample.items(1, labels: labels)
        let project = try TestProject(items: sample.map(\.text), labels: labels, guidelinesMarkdown: "# Emotions\n")
        // Grammar-constrained sampling on a busy 2-core machine: ~0.2 s a token, the answer in one piece.
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: try LocalModel.sharedBaseURL(),
                                                                  timeouts: HTTPTimeouts(idleSeconds: 180, totalSeconds: 180)))
        let predictor = LLMPredictor(store: project.store, labels: labels, guidelines: project.guidelines,
                                     settings: project.settings(provider: .local, model: "smollm2-135m-instruct"),
                                     scorer: SampledLabelSetScorer(client: client, model: "smollm2-135m-instruct", samples: 3,
                                                                   temperature: 1),
                                     task: .multi)
        let outcome = try predictor.predict(try #require(try project.items().first))
        // The schema restricts the lists to the label names, so every sample is valid.
        #expect(outcome.kind == .answered, "\(outcome.reason ?? "")")
        let probabilities = outcome.prediction.vector(over: labels)
        #expect(Set(outcome.prediction.probabilities.keys) == Set(labels.names))
        let steps: [Double] = [0, 1.0 / 3, 2.0 / 3, 1]
        for probability in probabilities {
            #expect(steps.contains { abs(probability - $0) < 1e-9 }, "\(probability) is not a share of 3 samples")
        }
        #expect(outcome.prediction.label == MultiLabelAnswer.predicted(inProbabilities: probabilities, labels: labels).encoded)
    }

    /// A measurement, not a check: run with ANNOTTY_MEASURE_MULTI=10 to print the seconds per
    /// item and the micro F1 against gold for that many dev comments (see docs/tasks.md).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ANNOTTY_MEASURE_MULTI"] != nil))
    func measureTimePerItemAndMicroF1() throws {
        let count = Int(ProcessInfo.processInfo.environment["ANNOTTY_MEASURE_MULTI"] ?? "") ?? 10
        let labels = try GoEmotionsSample.labels()
        let sample = try GoEmotionsSample.items(count, labels: labels)
        let (predictor, project, _) = try predictor(labels: labels, texts: sample.map(\.text))
        var truePositives = 0, falsePositives = 0, falseNegatives = 0
        var seconds: [Double] = []
        var lines: [String] = []
        // Each (item, label) pair's P(in), split by gold, for the ranking quality (AUC) that
        // per-label calibration cannot add but a threshold can use.
        var inGold: [Double] = [], outOfGold: [Double] = []
        for (item, expected) in zip(try project.items(), sample) {
            let started = Date()
            let prediction = try predictor.predict(item).prediction
            seconds.append(Date().timeIntervalSince(started))
            let predicted = prediction.shownSet(over: labels)?.indices(in: labels) ?? []
            let gold = expected.gold.indices(in: labels)
            for (index, probability) in prediction.vector(over: labels).enumerated() {
                if gold.contains(index) { inGold.append(probability) } else { outOfGold.append(probability) }
            }
            truePositives += predicted.intersection(gold).count
            falsePositives += predicted.subtracting(gold).count
            falseNegatives += gold.subtracting(predicted).count
            lines.append(String(format: "%.2f s  gold %@  predicted %@", seconds.last!, expected.gold.display,
                                prediction.shownSet(over: labels)?.display ?? "invalid"))
        }
        let precision = Double(truePositives) / Double(max(1, truePositives + falsePositives))
        let recall = Double(truePositives) / Double(max(1, truePositives + falseNegatives))
        let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        let sorted = seconds.sorted()
        var wins = 0.0
        for positive in inGold {
            for negative in outOfGold { wins += positive > negative ? 1 : positive == negative ? 0.5 : 0 }
        }
        let auc = wins / Double(max(1, inGold.count * outOfGold.count))
        print(lines.joined(separator: "\n"))
        print(String(format: "MULTI-MEASURE items=%d labels=%d mean=%.2f s/item median=%.2f s/item microP=%.3f microR=%.3f microF1=%.3f AUC=%.3f "
                     + "meanP(in|gold in)=%.3f meanP(in|gold out)=%.3f",
                     count, labels.count, seconds.reduce(0, +) / Double(count), sorted[sorted.count / 2], precision, recall, f1, auc,
                     inGold.reduce(0, +) / Double(max(1, inGold.count)), outOfGold.reduce(0, +) / Double(max(1, outOfGold.count))))
        #expect(seconds.count == count)
    }

    /// For comparison (ANNOTTY_MEASURE_MULTI=10): the single-label probe's distribution over the
    /// same items, read as a ranking of the labels against the gold sets (AUC), to tell whether the
    /// small model has a label signal that the yes/no questions lose.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ANNOTTY_MEASURE_MULTI"] != nil))
    func measureTheSingleLabelDistributionsRankingForComparison() throws {
        let count = Int(ProcessInfo.processInfo.environment["ANNOTTY_MEASURE_MULTI"] ?? "") ?? 10
        let labels = try GoEmotionsSample.labels()
        let sample = try GoEmotionsSample.items(count, labels: labels)
        let project = try TestProject(items: sample.map(\.text), labels: labels,
                                      guidelinesMarkdown: "# Emotions in Reddit comments\n\nMark every emotion the comment expresses.\n")
        let client = OpenAICompatibleClient(endpoint: LLMEndpoint(baseURL: try LocalModel.sharedBaseURL()))
        let predictor = LLMPredictor(store: project.store, labels: labels, guidelines: project.guidelines,
                                     settings: project.settings(provider: .local, model: "smollm2-135m-instruct"),
                                     scorer: CompletionProbeScorer(client: client))
        var inGold: [Double] = [], outOfGold: [Double] = []
        var topInGold = 0
        let started = Date()
        for (item, expected) in zip(try project.items(), sample) {
            let vector = try predictor.predict(item).prediction.vector(over: labels)
            let gold = expected.gold.indices(in: labels)
            for (index, probability) in vector.enumerated() {
                if gold.contains(index) { inGold.append(probability) } else { outOfGold.append(probability) }
            }
            if let top = vector.indices.max(by: { vector[$0] < vector[$1] }), gold.contains(top) { topInGold += 1 }
        }
        var wins = 0.0
        for positive in inGold {
            for negative in outOfGold { wins += positive > negative ? 1 : positive == negative ? 0.5 : 0 }
        }
        print(String(format: "SINGLE-MEASURE items=%d s/item=%.2f AUC=%.3f top-label-in-gold=%d/%d", count,
                     Date().timeIntervalSince(started) / Double(count), wins / Double(max(1, inGold.count * outOfGold.count)),
                     topInGold, count))
        #expect(inGold.count + outOfGold.count == count * labels.count)
    }
}
