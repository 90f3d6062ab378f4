import Testing
import Foundation
@testable import AnnottyCore

@Suite struct QuerySelectorTests {
    /// Rows chosen to have ties (0 and 6 equal; 1 and 5 both margin 0; 4 and 7 both margin 0.4).
    let matrix = ProbabilityMatrix(rows: [
        [0.5, 0.3, 0.2], [0.4, 0.4, 0.2], [0.9, 0.05, 0.05], [0.34, 0.33, 0.33],
        [0.6, 0.2, 0.2], [0.45, 0.45, 0.1], [0.5, 0.3, 0.2], [0.7, 0.3, 0.0],
    ])

    /// A unit vector along the given feature axes.
    static func vector(_ axes: [UInt32: Float]) -> SparseVector {
        SparseVector(pairs: axes.map { (index: $0.key, value: $0.value) }).normalized()
    }

    // Expected orders come from the standard definitions sorted by (score, index) in Python.
    @Test func leastConfidenceRanksByOneMinusMaxWithLowerIndexFirstOnTies() {
        let order = QuerySelector(strategy: .leastConfidence).rank(learnerProbabilities: matrix)
        #expect(order == [3, 1, 5, 0, 6, 4, 7, 2])
    }

    @Test func marginRanksSmallestMarginFirstWithLowerIndexFirstOnTies() {
        let order = QuerySelector(strategy: .margin).rank(learnerProbabilities: matrix)
        #expect(order == [1, 5, 3, 0, 6, 4, 7, 2])
    }

    @Test func entropyRanksHighestEntropyFirst() {
        let order = QuerySelector(strategy: .entropy).rank(learnerProbabilities: matrix)
        #expect(order == [3, 1, 0, 6, 4, 5, 7, 2])
    }

    @Test func randomIsASeededPermutation() {
        let selector = QuerySelector(strategy: .random)
        let first = selector.rank(learnerProbabilities: matrix, seed: 7)
        #expect(first.sorted() == Array(0..<8))
        #expect(selector.rank(learnerProbabilities: matrix, seed: 7) == first)
        let others = (8..<14).map { selector.rank(learnerProbabilities: matrix, seed: UInt64($0)) }
        #expect(others.contains { $0 != first })
    }

    @Test func hybridKeepsNearDuplicatesOutOfTheBatch() {
        // Items 0 and 1 are the same text and the two most uncertain; 2 is different and less uncertain.
        let probabilities = ProbabilityMatrix(rows: [[0.5, 0.5], [0.5, 0.5], [0.7, 0.3], [0.9, 0.1]])
        let vectors = [Self.vector([1: 1, 2: 1]), Self.vector([1: 1, 2: 1]), Self.vector([3: 1]), Self.vector([4: 1])]
        var strategy = SelectionStrategy.hybrid
        strategy.randomShare = 0
        strategy.batchSize = 2
        let order = QuerySelector(strategy: strategy).rank(learnerProbabilities: probabilities, vectors: vectors)
        #expect(order == [0, 2, 1, 3])
        // Plain margin takes both copies.
        #expect(QuerySelector(strategy: .margin).rank(learnerProbabilities: probabilities).prefix(2) == [0, 1])
    }

    @Test func hybridRandomShareReplacesThatManyTopPicksAndStaysDeterministic() {
        let count = 200
        // Uncertainty falls with the index, so the top of the score order is 0, 1, 2, ...
        let rows = (0..<count).map { i -> [Double] in
            let p = 0.5 + 0.49 * Double(i) / Double(count)
            return [p, 1 - p]
        }
        let probabilities = ProbabilityMatrix(rows: rows)
        let vectors = (0..<count).map { Self.vector([UInt32($0): 1]) }
        var strategy = SelectionStrategy.hybrid
        strategy.batchSize = 20
        strategy.randomShare = 0.2
        let selector = QuerySelector(strategy: strategy)
        let order = selector.rank(learnerProbabilities: probabilities, vectors: vectors, seed: 3)
        #expect(order.sorted() == Array(0..<count))
        let batch = Array(order.prefix(20))
        #expect(batch.filter { $0 < 16 }.count == 16)
        #expect(batch.filter { $0 >= 16 }.count == 4)
        #expect(selector.rank(learnerProbabilities: probabilities, vectors: vectors, seed: 3) == order)
        // After the batch, the rest follow by score.
        let rest = Array(order.dropFirst(20))
        #expect(rest == rest.sorted())
    }

    @Test func disagreementPutsItemsWhereTheLLMDisagreesFirst() {
        // The learner is equally sure of all three; the LLM agrees on 0, disagrees on 1, is absent on 2.
        let learner = ProbabilityMatrix(rows: [[0.8, 0.2], [0.8, 0.2], [0.8, 0.2]])
        let llm: [[Double]?] = [[0.8, 0.2], [0.0, 1.0], nil]
        let vectors = [Self.vector([1: 1]), Self.vector([2: 1]), Self.vector([3: 1])]
        let order = QuerySelector(strategy: .disagreement)
            .rank(learnerProbabilities: learner, vectors: vectors, llmProbabilities: llm)
        #expect(order == [1, 2, 0])
    }

    @Test func diversityPicksFarthestFromLabelledThenFromEarlierPicks() {
        // Labelled items cover axis 1. Item 0 is close to them, 1 is orthogonal, 2 duplicates 1,
        // 3 is orthogonal to everything.
        let probabilities = ProbabilityMatrix(rows: Array(repeating: [0.5, 0.5], count: 4))
        let vectors = [Self.vector([1: 1, 2: 0.1]), Self.vector([2: 1]), Self.vector([2: 1]), Self.vector([3: 1])]
        var strategy = SelectionStrategy.diversity
        strategy.batchSize = 2
        let order = QuerySelector(strategy: strategy).rank(learnerProbabilities: probabilities, vectors: vectors,
                                                           labelledVectors: [Self.vector([1: 1])])
        #expect(order.prefix(2) == [1, 3])
        #expect(Set(order) == Set(0..<4))
    }

    @Test func strategyRoundTripsThroughJSON() throws {
        let data = try JSONEncoder().encode(SelectionStrategy.default)
        let decoded = try JSONDecoder().decode(SelectionStrategy.self, from: data)
        #expect(decoded == .default)
        #expect(SelectionStrategy.default.method == .hybrid)
        #expect(SelectionStrategy.default.uncertaintyMeasure == .margin)
    }
}
