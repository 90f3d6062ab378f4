import AnnottyCore
import Foundation
import Testing

@Suite("Multi-label learning")
struct OneVsRestLearningTests {
    @Test("One-vs-rest gives each label its own probability; an item can be likely in two labels at once")
    func oneVsRestProbabilities() {
        let texts = ["the cat sat", "a cat purrs", "the dog barks", "a dog runs", "cat and dog play", "dog chases cat",
                     "rain falls", "sun shines"]
        let sets: [Set<Int>] = [[0], [0], [1], [1], [0, 1], [0, 1], [], []]
        var learner = OneVsRestLearner(labelCount: 2, vectorizer: TextVectorizer(fittingTexts: texts))
        #expect(learner.inProbabilities(for: "cat") == [0.5, 0.5])
        learner.train(texts: texts, labelSets: sets)
        let both = learner.inProbabilities(for: "cat dog")
        #expect(both[0] > 0.5 && both[1] > 0.5)
        let none = learner.inProbabilities(for: "rain")
        #expect(none[0] < 0.5 && none[1] < 0.5)
        let catOnly = learner.inProbabilities(for: "the cat sat")
        #expect(catOnly[0] > 0.5 && catOnly[1] < 0.5)
        let matrix = learner.inProbabilities(for: learner.vectorizer.vectors(for: ["cat dog", "rain"]))
        #expect(Array(matrix[0]) == both && Array(matrix[1]) == none)
    }

    @Test("Set uncertainty: binary entropy in bits, averaged or maximised over labels")
    func setUncertainty() {
        #expect(SetUncertaintyMeasure.binaryEntropy(0.5) == 1)
        #expect(SetUncertaintyMeasure.binaryEntropy(0) == 0 && SetUncertaintyMeasure.binaryEntropy(1) == 0)
        // −(¼ log₂ ¼ + ¾ log₂ ¾) = 0.811278…
        #expect(abs(SetUncertaintyMeasure.binaryEntropy(0.25) - 0.8112781244591328) < 1e-12)
        #expect(abs(SetUncertaintyMeasure.meanEntropy.uncertainty([0.5, 0, 1]) - 1.0 / 3.0) < 1e-12)
        #expect(SetUncertaintyMeasure.maxEntropy.uncertainty([0.5, 0, 1]) == 1)
        #expect(SetUncertaintyMeasure.meanEntropy.uncertainty([Double]()) == 0)
    }

    @Test("The selector puts the most uncertain sets first; mean and max entropy can disagree")
    func selectorOrders() {
        // Item 0: one label at 0.5, two sure → mean 1/3, max 1. Item 1: three labels at 0.25/0.75
        // → mean = max = 0.811. Item 2: all sure.
        let probabilities = ProbabilityMatrix(rows: [[0.5, 0.0, 1.0], [0.25, 0.75, 0.25], [0.0, 1.0, 0.0]])
        let byMean = MultiLabelQuerySelector(measure: .meanEntropy, strategy: .margin).rank(inProbabilities: probabilities)
        #expect(byMean == [1, 0, 2])
        let byMax = MultiLabelQuerySelector(measure: .maxEntropy, strategy: .entropy).rank(inProbabilities: probabilities)
        #expect(byMax == [0, 1, 2])
        let random = MultiLabelQuerySelector.random.rank(inProbabilities: probabilities, seed: 3)
        #expect(random.sorted() == [0, 1, 2])
    }

    @Test("The default selector batches by set uncertainty and keeps near-duplicates out of the batch")
    func defaultSelectorSkipsDuplicates() {
        let texts = ["alpha beta gamma", "alpha beta gamma", "delta epsilon zeta", "eta theta iota"]
        let vectorizer = TextVectorizer(fittingTexts: texts)
        let vectors = vectorizer.vectors(for: texts)
        let probabilities = ProbabilityMatrix(rows: [[0.5, 0.5], [0.5, 0.5], [0.4, 0.5], [0.1, 0.1]])
        var strategy = SelectionStrategy.default
        strategy.batchSize = 2
        let order = MultiLabelQuerySelector(strategy: strategy).rank(inProbabilities: probabilities, vectors: vectors)
        #expect(Array(order.prefix(2)) == [0, 2])
        #expect(order.sorted() == [0, 1, 2, 3])
    }

    @Test("Fitted thresholds maximise each label's F1; a label never in keeps the fallback")
    func fittedThresholds() {
        // Label 0: in at 0.9 and 0.4, out at 0.6 and 0.1. Cut after 0.9: F1 = 2/3; after 0.4 (0.25):
        // TP 2, FP 1 → F1 = 4/5, the best. Label 1: never in → 0.5.
        let probabilities = ProbabilityMatrix(rows: [[0.9, 0.2], [0.6, 0.3], [0.4, 0.1], [0.1, 0.7]])
        let verified: [Set<Int>] = [[0], [], [0], []]
        let thresholds = LabelThresholds.fitted(inProbabilities: probabilities, verifiedSets: verified)
        #expect(abs(thresholds.values[0] - 0.25) < 1e-12)
        #expect(thresholds.values[1] == 0.5)
        #expect(thresholds.predictedSet([0.3, 0.6]) == [0, 1])
        #expect(thresholds.predictedSet([0.2, 0.4]) == [])
        #expect(LabelThresholds.isEveryLabelSettled([0.97, 0.01], minimumProbability: 0.95))
        #expect(!LabelThresholds.isEveryLabelSettled([0.97, 0.2], minimumProbability: 0.95))
    }

    /// Labels 0..3. Label 0: TP 2 → F1 1. Label 1: TP 1, FP 1, FN 1 → 1/2. Label 2: TP 1, FP 1 → 2/3.
    /// Label 3: nothing → 0. Micro: TP 4, FP 2, FN 1 → 8/11. Macro: (1 + 1/2 + 2/3 + 0)/4 = 13/24.
    /// Exact matches: items 2 and 4 → 2/5.
    @Test("Scores: micro and macro F1 and exact-match ratio computed by hand")
    func scoresByHand() {
        let gold: [Set<Int>] = [[0, 1], [1], [2], [], [0]]
        let predicted: [Set<Int>] = [[0], [1, 2], [2], [1], [0]]
        let scores = MultiLabelScores(predicted: predicted, gold: gold, labelCount: 4)
        #expect(abs(scores.microF1 - 8.0 / 11.0) < 1e-12)
        #expect(abs(scores.macroF1 - 13.0 / 24.0) < 1e-12)
        #expect(abs(scores.subsetAccuracy - 0.4) < 1e-12)
    }
}
