import Foundation

/// Orders the unlabelled pool so the person labels the most useful items first.
///
/// `rank` returns every pool index exactly once. The first `strategy.batchSize` positions are the
/// batch, chosen with the batch in mind for diversity, hybrid and disagreement (no near-duplicates);
/// the rest follow by score. Ties are broken by the lower pool index first, so the plain
/// uncertainty methods give exactly the standard top-k.
public struct QuerySelector: Sendable {
    public let strategy: SelectionStrategy

    public init(strategy: SelectionStrategy = .default) {
        self.strategy = strategy
    }

    /// - Parameters:
    ///   - learnerProbabilities: one row per pool item.
    ///   - vectors: the pool items' feature vectors (L2-normalised, same order); needed by diversity,
    ///     hybrid and disagreement, may be empty for the others.
    ///   - labelledVectors: feature vectors of items already labelled, oldest first.
    ///   - llmProbabilities: the LLM's probabilities per pool item, nil where it has none; used by
    ///     disagreement (an item without them scores by the learner's uncertainty alone).
    ///   - seed: drives random order and random picks.
    /// - Returns: pool indices, most useful first.
    public func rank(learnerProbabilities: ProbabilityMatrix, vectors: [SparseVector] = [],
                     labelledVectors: [SparseVector] = [], llmProbabilities: [[Double]?]? = nil,
                     seed: UInt64 = 0) -> [Int] {
        let count = learnerProbabilities.rowCount
        guard count > 0 else { return [] }
        var generator = SeededGenerator(seed: seed)
        switch strategy.method {
        case .random:
            var order = Array(0..<count)
            order.shuffle(using: &generator)
            return order
        case .leastConfidence, .margin, .entropy:
            let measure: UncertaintyMeasure = strategy.method == .leastConfidence ? .leastConfidence
                : strategy.method == .margin ? .margin : .entropy
            let scores = (0..<count).map { measure.normalizedUncertainty(learnerProbabilities[$0]) }
            return Self.orderByDescendingScore(scores)
        case .diversity:
            precondition(vectors.count == count, "diversity needs one vector per pool item")
            return kCentreOrder(vectors: vectors, labelledVectors: labelledVectors)
        case .hybrid, .disagreement:
            precondition(vectors.count == count, "hybrid and disagreement need one vector per pool item")
            return hybridOrder(probabilities: learnerProbabilities, vectors: vectors,
                               labelledVectors: labelledVectors, llmProbabilities: llmProbabilities,
                               generator: &generator)
        }
    }

    /// The per-item score hybrid and disagreement start from (before diversity).
    public func baseScores(probabilities: ProbabilityMatrix, vectors: [SparseVector],
                           llmProbabilities: [[Double]?]? = nil) -> [Double] {
        let count = probabilities.rowCount
        var scores = [Double](repeating: 0, count: count)
        let measure = strategy.uncertaintyMeasure
        let useDisagreement = strategy.method == .disagreement && strategy.disagreementWeight != 0
        for i in 0..<count {
            let learner = probabilities[i]
            let uncertainty = measure.normalizedUncertainty(learner)
            var score = strategy.uncertaintyWeight * uncertainty
            if useDisagreement {
                if let llmRows = llmProbabilities, i < llmRows.count, let llm = llmRows[i], llm.count == learner.count {
                    score += strategy.disagreementWeight * ProbabilityDivergence.jensenShannon(llm, learner) / log(2)
                } else {
                    score += strategy.disagreementWeight * uncertainty
                }
            }
            scores[i] = score
        }
        if strategy.densityWeight != 0 {
            let density = Self.centroidDensity(vectors)
            for i in 0..<count { scores[i] += strategy.densityWeight * density[i] }
        }
        return scores
    }

    // MARK: - Orders

    private func hybridOrder(probabilities: ProbabilityMatrix, vectors: [SparseVector], labelledVectors: [SparseVector],
                             llmProbabilities: [[Double]?]?, generator: inout SeededGenerator) -> [Int] {
        let count = probabilities.rowCount
        let scores = baseScores(probabilities: probabilities, vectors: vectors, llmProbabilities: llmProbabilities)
        let byScore = Self.orderByDescendingScore(scores)
        let batchSize = min(max(strategy.batchSize, 0), count)
        guard batchSize > 0 else { return byScore }

        let randomCount = min(batchSize, Int((strategy.randomShare * Double(batchSize)).rounded()))
        let chosenCount = batchSize - randomCount
        var chosen: [Int] = []
        if chosenCount > 0 {
            let candidateCount = min(count, max(chosenCount, chosenCount * max(strategy.candidateMultiplier, 1)))
            let candidates = Array(byScore.prefix(candidateCount))
            chosen = greedyDiverseBatch(candidates: candidates, scores: scores, size: chosenCount,
                                        vectors: vectors, labelledVectors: labelledVectors)
        }
        var taken = Set(chosen)
        var randomPicks: [Int] = []
        if randomCount > 0 {
            var remaining = (0..<count).filter { !taken.contains($0) }
            for k in 0..<randomCount {
                let pick = Int.random(in: k..<remaining.count, using: &generator)
                remaining.swapAt(k, pick)
                randomPicks.append(remaining[k])
            }
            taken.formUnion(randomPicks)
        }
        // Spread the random picks evenly through the batch, so a person who labels only part of it
        // still gets some.
        var batch: [Int] = []
        var chosenIterator = chosen.makeIterator()
        for position in 0..<batchSize {
            let randomsBefore = randomCount == 0 ? 0 : (position * randomCount) / batchSize
            let randomsThrough = randomCount == 0 ? 0 : ((position + 1) * randomCount) / batchSize
            if randomsThrough > randomsBefore, randomsBefore < randomPicks.count {
                batch.append(randomPicks[randomsBefore])
            } else if let next = chosenIterator.next() {
                batch.append(next)
            }
        }
        return batch + byScore.filter { !taken.contains($0) }
    }

    /// Greedily picks `size` candidates maximising score + diversityWeight × (cosine distance to the
    /// nearest earlier pick, or labelled item when so configured), skipping any candidate at least
    /// `duplicateSimilarity` similar to an earlier pick. If too few remain, skipped ones fill the
    /// batch in score order.
    private func greedyDiverseBatch(candidates: [Int], scores: [Double], size: Int,
                                    vectors: [SparseVector], labelledVectors: [SparseVector]) -> [Int] {
        let suppressesDuplicates = strategy.duplicateSimilarity < 1
        guard strategy.diversityWeight != 0 || suppressesDuplicates else { return Array(candidates.prefix(size)) }
        var workspace = DenseWorkspace(vectors: candidates.map { vectors[$0] })
        var nearestDistance = [Double](repeating: 1, count: candidates.count)
        if strategy.includeLabelledInDiversity {
            for labelled in labelledVectors.suffix(max(strategy.labelledComparisonLimit, 0)) {
                workspace.updateNearestDistance(&nearestDistance, to: labelled)
            }
        }
        var nearestPickDistance = [Double](repeating: 1, count: candidates.count)
        var picked: [Int] = []
        var isPicked = [Bool](repeating: false, count: candidates.count)
        while picked.count < min(size, candidates.count) {
            var best = -1
            var bestValue = -Double.infinity
            for (position, item) in candidates.enumerated() where !isPicked[position] {
                if suppressesDuplicates && 1 - nearestPickDistance[position] >= strategy.duplicateSimilarity { continue }
                let value = scores[item] + strategy.diversityWeight * min(nearestDistance[position], nearestPickDistance[position])
                if value > bestValue || (value == bestValue && best >= 0 && item < candidates[best]) {
                    best = position
                    bestValue = value
                }
            }
            guard best >= 0 else { break }
            isPicked[best] = true
            picked.append(candidates[best])
            workspace.updateNearestDistance(&nearestPickDistance, to: vectors[candidates[best]])
        }
        for (position, item) in candidates.enumerated() where picked.count < size && !isPicked[position] {
            picked.append(item)
        }
        return picked
    }

    /// Greedy k-centre: each pick is the item farthest (cosine) from every labelled item and earlier
    /// pick; with nothing labelled the first pick is the most typical item (highest density). After
    /// the batch, items follow by their distance to the picks, farthest first.
    private func kCentreOrder(vectors: [SparseVector], labelledVectors: [SparseVector]) -> [Int] {
        let count = vectors.count
        var workspace = DenseWorkspace(vectors: vectors)
        var nearestDistance = [Double](repeating: 1, count: count)
        let labelled = labelledVectors.suffix(max(strategy.labelledComparisonLimit, 0))
        for vector in labelled { workspace.updateNearestDistance(&nearestDistance, to: vector) }
        var picked: [Int] = []
        var isPicked = [Bool](repeating: false, count: count)
        let batchSize = min(max(strategy.batchSize, 0), count)
        if labelled.isEmpty, batchSize > 0 {
            let density = Self.centroidDensity(vectors)
            let first = Self.orderByDescendingScore(density)[0]
            picked.append(first)
            isPicked[first] = true
            workspace.updateNearestDistance(&nearestDistance, to: vectors[first])
        }
        while picked.count < batchSize {
            var best = -1
            var bestDistance = -Double.infinity
            for i in 0..<count where !isPicked[i] && nearestDistance[i] > bestDistance {
                best = i
                bestDistance = nearestDistance[i]
            }
            guard best >= 0 else { break }
            picked.append(best)
            isPicked[best] = true
            workspace.updateNearestDistance(&nearestDistance, to: vectors[best])
        }
        let rest = Self.orderByDescendingScore(nearestDistance).filter { !isPicked[$0] }
        return picked + rest
    }

    // MARK: - Helpers

    /// Indices by descending score, lower index first among equal scores.
    static func orderByDescendingScore(_ scores: [Double]) -> [Int] {
        Array(0..<scores.count).sorted { a, b in
            scores[a] != scores[b] ? scores[a] > scores[b] : a < b
        }
    }

    /// Each vector's cosine similarity to the mean of all vectors (the average similarity to the
    /// pool, up to a constant), scaled so the largest is 1.
    static func centroidDensity(_ vectors: [SparseVector]) -> [Double] {
        guard !vectors.isEmpty else { return [] }
        let dimension = Int(vectors.map { $0.indices.last ?? 0 }.max() ?? 0) + 1
        var centroid = [Float](repeating: 0, count: dimension)
        for vector in vectors {
            for (index, value) in zip(vector.indices, vector.values) { centroid[Int(index)] += value }
        }
        let density = centroid.withUnsafeBufferPointer { dense in vectors.map { $0.dot(dense: dense) } }
        let largest = density.max() ?? 0
        return largest > 0 ? density.map { $0 / largest } : density
    }
}

/// Cosine similarities of many fixed vectors to one query at a time: the query is scattered into a
/// dense array and each fixed vector gathers from it, O(its non-zeros) per vector.
private struct DenseWorkspace {
    let vectors: [SparseVector]
    var dense: [Float]

    init(vectors: [SparseVector]) {
        self.vectors = vectors
        let dimension = Int(vectors.map { $0.indices.last ?? 0 }.max() ?? 0) + 1
        dense = [Float](repeating: 0, count: dimension)
    }

    /// nearest[i] = min(nearest[i], 1 − cos(vectors[i], query)); vectors are unit length.
    mutating func updateNearestDistance(_ nearest: inout [Double], to query: SparseVector) {
        for (index, value) in zip(query.indices, query.values) where Int(index) < dense.count {
            dense[Int(index)] = value
        }
        dense.withUnsafeBufferPointer { buffer in
            for i in vectors.indices {
                let distance = 1 - vectors[i].dot(dense: buffer)
                if distance < nearest[i] { nearest[i] = distance }
            }
        }
        for index in query.indices where Int(index) < dense.count { dense[Int(index)] = 0 }
    }
}
