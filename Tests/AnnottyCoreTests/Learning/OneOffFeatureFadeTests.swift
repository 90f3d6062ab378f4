import AnnottyTestSupport
import Foundation
import Testing
@testable import AnnottyCore

/// Retraining with one more label must change the learner by about as much as one label does,
/// at every size: dropping one-off features all at once at 1,000 labels moved the model more
/// than any single label, and on some data made that retrain worse than the one before it.
@Suite(.enabled(if: SharedDatasets.available, "\(SharedDatasets.missingMessage)"))
struct OneOffFeatureFadeTests {
    /// CoNLL-2003 sentences (more than three tokens), labelled by whether they mention a person.
    static func conllMentionsAPerson(_ name: String, limit: Int) throws -> LabelledDataset {
        let text = try String(contentsOf: SharedDatasets.url("conll2003/\(name)"), encoding: .utf8)
        var texts: [String] = [], labels: [Int] = []
        var words: [String] = [], person = false
        for line in text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n") {
            if line.isEmpty || line.hasPrefix("-DOCSTART-") {
                if words.count > 3 { texts.append(words.joined(separator: " ")); labels.append(person ? 1 : 0) }
                words = []
                person = false
                if texts.count >= limit { break }
                continue
            }
            let columns = line.split(separator: " ")
            words.append(String(columns[0]))
            if columns.last?.hasSuffix("PER") == true { person = true }
        }
        return LabelledDataset(texts: texts, labels: labels, labelNames: ["no person", "person"])
    }

    /// Mean absolute change of the test probabilities and the accuracies, training on each size.
    static func retrains(_ train: LabelledDataset, _ test: LabelledDataset, sizes: [Int])
        -> (changes: [Double], accuracies: [Double]) {
        let vectorizer = TextVectorizer(fittingTexts: train.texts)
        let vectors = vectorizer.vectors(for: train.texts)
        let testVectors = vectorizer.vectors(for: test.texts)
        var previous: ProbabilityMatrix?
        var changes: [Double] = [], accuracies: [Double] = []
        for size in sizes {
            var learner = TaskLearner(labelCount: train.labelNames.count, vectorizer: vectorizer)
            learner.train(vectors: Array(vectors.prefix(size)), labels: Array(train.labels.prefix(size)))
            let matrix = learner.probabilities(for: testVectors)
            accuracies.append(Double(zip(matrix.predictedLabels, test.labels).filter { $0 == $1 }.count) / Double(test.count))
            if let previous {
                var total = 0.0
                for row in 0..<test.count {
                    total += zip(matrix[row], previous[row]).map { abs($0 - $1) }.reduce(0, +)
                }
                changes.append(total / Double(test.count))
            }
            previous = matrix
        }
        return (changes, accuracies)
    }

    static func check(_ train: LabelledDataset, _ test: LabelledDataset, name: String) {
        // 998 -> 999 is an ordinary retrain; 999 -> 1000 is where the one-off features were dropped.
        let (changes, accuracies) = retrains(train, test, sizes: [998, 999, 1000, 1001])
        #expect(changes[1] < 3 * changes[0], "\(name): 999 -> 1000 moved the model by \(changes[1]), 998 -> 999 by \(changes[0])")
        #expect(changes[2] < 3 * changes[0], "\(name): 1000 -> 1001 moved the model by \(changes[2]), 998 -> 999 by \(changes[0])")
        for (before, after) in zip(accuracies, accuracies.dropFirst()) {
            #expect(after >= before - 0.005, "\(name): accuracies \(accuracies)")
        }
    }

    @Test func oneMoreLabelMovesTheTRECLearnerLittleAroundOneThousandLabels() throws {
        let train = try LabelledDataset.loadTREC(from: SharedDatasets.url("trec/TREC.train.all"))
        let test = try LabelledDataset.loadTREC(from: SharedDatasets.url("trec/TREC.test.all"))
        Self.check(train, test, name: "TREC-6")
    }

    @Test func oneMoreLabelMovesTheCoNLLLearnerLittleAroundOneThousandLabels() throws {
        let train = try Self.conllMentionsAPerson("eng.train", limit: 1200)
        let test = try Self.conllMentionsAPerson("eng.testa", limit: 1500)
        Self.check(train, test, name: "CoNLL-2003")
    }

    @Test func theFadeScalesOneOffFeaturesLinearly() {
        let configuration = TaskLearner.Configuration()
        #expect(configuration.oneOffFeatureScale(forExamples: 1000) == 1)
        #expect(configuration.oneOffFeatureScale(forExamples: 1500) == 0.5)
        #expect(configuration.oneOffFeatureScale(forExamples: 2000) == 0)
    }
}
