import AnnottyCore
import Foundation
import AnnottyTestSupport
import Testing

@Suite struct EscalationPolicyTests {
    static func prediction(_ itemId: Int64, model: String = "cheap", confidence: Double?, valid: Bool = true,
                           alternative: PrelabelOpinion? = nil) -> Prediction {
        Prediction(itemId: itemId, model: model, label: valid ? "a" : nil, probabilities: valid ? ["a": confidence ?? 0.5, "b": 1 - (confidence ?? 0.5)] : [:],
                   calibratedConfidence: confidence, alternative: alternative, isValid: valid)
    }

    @Test func theUnsureTheUnusableAndTheCrediblyDisputedGoUpFrontFirstUpToTheLimit() {
        let predictions: [Int64: Prediction] = [
            1: Self.prediction(1, confidence: 0.95),                                  // sure: stays
            2: Self.prediction(2, confidence: 0.6),                                   // unsure
            3: Self.prediction(3, confidence: nil, valid: false),                     // unusable
            4: Self.prediction(4, confidence: 0.97, alternative: PrelabelOpinion(label: "b", confidence: 0.8, source: .learner)),
            5: Self.prediction(5, model: "strong", confidence: 0.5),                 // asked already
            6: Self.prediction(6, confidence: 0.1),                                   // unsure, past the limit
            // Sure, with a dissent the calibration puts under even odds: stays.
            8: Self.prediction(8, confidence: 0.95, alternative: PrelabelOpinion(label: "b", confidence: 0.3, source: .llm)),
        ]
        let policy = EscalationPolicy(cheapModel: "cheap", escalateBelow: 0.9, limit: 3)
        // Item 7 has no prediction yet: the cheap tier has not spoken, nothing to escalate.
        #expect(policy.candidates(order: [7, 8, 1, 2, 3, 4, 5, 6], predictions: predictions) == [2, 3, 4])
        #expect(EscalationPolicy(cheapModel: "cheap", escalateBelow: 0.5, limit: 10)
            .candidates(order: [1, 2, 3, 4, 5, 6, 8], predictions: predictions) == [3, 4, 6])
    }

    @Test func fromTheTaperOnFewerAreAskedAbout() {
        let predictions = Dictionary(uniqueKeysWithValues: (Int64(1)...6).map { ($0, Self.prediction($0, confidence: 0.5)) })
        let policy = EscalationPolicy(cheapModel: "cheap", escalateBelow: 0.9, limit: 4, taperAfterLabels: 200, taperedLimit: 1)
        #expect(policy.candidates(order: [1, 2, 3, 4, 5, 6], predictions: predictions, labelledByPeople: 199) == [1, 2, 3, 4])
        #expect(policy.candidates(order: [1, 2, 3, 4, 5, 6], predictions: predictions, labelledByPeople: 200) == [1])
        // No taper: the same limit however many are labelled.
        #expect(EscalationPolicy(cheapModel: "cheap", escalateBelow: 0.9, limit: 4)
            .candidates(order: [1, 2, 3, 4, 5, 6], predictions: predictions, labelledByPeople: 5_000).count == 4)
    }
}

@Suite struct PredictionUsageByModelTests {
    @Test func eachTierIsCountedApartInStats() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        _ = try store.importItems { sink in for index in 1...3 { try sink.add(ImportRecord(text: "item \(index)")) } }
        for itemId in Int64(1)...3 {
            try store.savePrediction(Prediction(itemId: itemId, model: "cheap", label: "a", probabilities: ["a": 0.6, "b": 0.4],
                                                tokensIn: 100, tokensOut: 2, costUSD: 0.001))
        }
        try store.savePrediction(Prediction(itemId: 2, model: "strong", label: "b", probabilities: ["a": 0.1, "b": 0.9],
                                            tokensIn: 120, tokensOut: 3, costUSD: 0.02))
        let usage = try store.predictionUsage()
        #expect(usage.calls == 4)
        #expect(usage.byModel.map(\.model) == ["cheap", "strong"])
        #expect(usage.byModel.map(\.calls) == [3, 1])
        #expect(usage.byModel.map(\.tokensIn) == [300, 120])
        #expect(abs(usage.byModel[1].costUSD - 0.02) < 1e-12)
        var config = ProjectConfig(name: "p", labels: LabelSet(names: ["a", "b"]))
        config.llm.provider = .openai
        let text = StatsOverview.render(try ProjectStatistics(store: store), config: config)
        #expect(text.contains("  cheap: 3 calls, 300 in, 6 out, $0.0030"))
        #expect(text.contains("  strong: 1 calls, 120 in, 3 out, $0.0200"))
    }
}
