import Testing
@testable import AnnottyCore

@Suite struct TaskLearnerTests {
    let texts = [
        "how many legs does a spider have", "how many days are in a year", "how many players on a team",
        "who wrote the odyssey", "who painted the mona lisa", "who invented the telephone",
        "where is the eiffel tower", "where is mount everest", "where do penguins live",
    ]
    let labels = [0, 0, 0, 1, 1, 1, 2, 2, 2]

    @Test func untrainedLearnerIsUniform() {
        let learner = TaskLearner(labelCount: 4)
        #expect(learner.probabilities(for: "anything at all") == [0.25, 0.25, 0.25, 0.25])
    }

    @Test func learnsQuestionTypesFromAFewLabels() {
        var learner = TaskLearner(labelCount: 3, vectorizer: TextVectorizer(fittingTexts: texts))
        learner.train(texts: texts, labels: labels)
        #expect(learner.trainingExampleCount == 9)
        let questions = ["how many wheels does a car have", "who discovered penicillin", "where is the louvre"]
        let matrix = learner.probabilities(for: questions.map(learner.features(for:)))
        #expect(matrix.predictedLabels == [0, 1, 2])
        for row in 0..<3 {
            #expect(abs(matrix[row].reduce(0, +) - 1) < 1e-9)
            #expect(matrix[row][matrix.predictedLabels[row] + matrix[row].startIndex] > 0.4)
        }
        // Single-text and batch paths agree.
        #expect(learner.probabilities(for: questions[1]) == Array(matrix[1]))
    }

    @Test func trainingIsDeterministic() {
        var first = TaskLearner(labelCount: 3)
        var second = TaskLearner(labelCount: 3)
        first.train(texts: texts, labels: labels)
        second.train(texts: texts, labels: labels)
        #expect(first.probabilities(for: "who is the president") == second.probabilities(for: "who is the president"))
    }

    @Test func labelsNeverSeenGetLowProbability() {
        var learner = TaskLearner(labelCount: 5)
        learner.train(texts: texts, labels: labels)
        let p = learner.probabilities(for: "who wrote hamlet")
        #expect(p.count == 5)
        #expect(p[1] > p[3] && p[1] > p[4])
        #expect(abs(p[3] - p[4]) < 1e-12)
    }

    @Test func invalidLabelsAreIgnored() {
        var learner = TaskLearner(labelCount: 3)
        learner.train(texts: texts + ["stray"], labels: labels + [7])
        #expect(learner.trainingExampleCount == 9)
    }
}
