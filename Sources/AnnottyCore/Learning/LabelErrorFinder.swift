import Foundation

/// Finds decisions whose given label is improbable (confident learning, Northcutt, Jiang and
/// Chuang 2021): from out-of-fold probabilities (each item scored by a model that never saw its
/// label), estimate how often each given label hides each true label, then flag that many items,
/// the ones whose probabilities argue against their label most.
public struct LabelErrorFinder: Sendable {
    /// A decision whose label looks wrong.
    public struct Suspect: Sendable, Equatable {
        /// Position in the arrays given to `find`.
        public var index: Int
        public var givenLabel: Int
        /// The label the probabilities point to instead.
        public var suggestedLabel: Int
        /// Out-of-fold probability of the given label (lower is more suspect).
        public var givenLabelProbability: Double
        public var suggestedLabelProbability: Double
    }

    public enum Method: String, Sendable, CaseIterable, Codable {
        /// Every item the confident joint puts off the diagonal: confidently above another label's
        /// threshold and not its own (Northcutt et al.'s C_confusion off-diagonals).
        case confidentJoint = "confident-joint"
        /// cleanlab's default: for each (given i, true j) the estimated number of errors, taken as
        /// the items given i with the largest p_j − p_i.
        case pruneByNoiseRate = "prune-by-noise-rate"
        /// Flagged by both of the above (cleanlab's `filter_by='both'`): fewer flags, more of them right.
        case both
    }

    public var method: Method
    /// `both`: with 5% of TREC-6's 5,452 training labels flipped it found 68% of the flips at 52%
    /// precision, where prune-by-noise-rate alone found 85% at 43% (docs/model-in-the-loop.md).
    public static let defaultMethod = Method.both
    /// The learner behind the out-of-fold probabilities: more regularised than the task learner's
    /// own C = 100, whose confident mistakes on correctly labelled items crowd out the flips
    /// (TREC-6 training set, 5% flipped: precision 0.52 at C = 10 against 0.38 at C = 100).
    public static let defaultLearnerConfiguration = TaskLearner.Configuration(inverseRegularization: 10)

    public init(method: Method = defaultMethod) { self.method = method }

    /// The suspects, most improbable given label first. An item whose probabilities' argmax is its
    /// given label is never flagged.
    /// - Parameters:
    ///   - probabilities: out-of-fold probability vectors, one per item, all of length `labelCount`.
    ///   - givenLabels: the labels people gave.
    public func find(probabilities: [[Double]], givenLabels: [Int], labelCount: Int) -> [Suspect] {
        precondition(probabilities.count == givenLabels.count, "one probability vector per given label")
        let items = probabilities.indices.filter {
            probabilities[$0].count == labelCount && (0..<labelCount).contains(givenLabels[$0])
        }
        // Per-label threshold: the mean probability of label j over items given j.
        var sums = [Double](repeating: 0, count: labelCount), counts = [Int](repeating: 0, count: labelCount)
        for item in items {
            sums[givenLabels[item]] += probabilities[item][givenLabels[item]]
            counts[givenLabels[item]] += 1
        }
        let thresholds = (0..<labelCount).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : 1.0 }
        // The confident joint: each item counted at (given, confident true label), if any.
        var joint = [[Int]](repeating: [Int](repeating: 0, count: labelCount), count: labelCount)
        var confidentLabel = [Int?](repeating: nil, count: probabilities.count)
        for item in items {
            let vector = probabilities[item]
            var best: Int?
            for label in 0..<labelCount where counts[label] > 0 && vector[label] >= thresholds[label] {
                if best.map({ vector[label] > vector[$0] }) ?? true { best = label }
            }
            if let best {
                joint[givenLabels[item]][best] += 1
                confidentLabel[item] = best
            }
        }
        func argmax(_ vector: [Double]) -> Int { CalibratedPrediction.argmax(vector) ?? 0 }
        var flagged: [(item: Int, suggested: Int)] = []
        if method == .both {
            let byJoint = Set(LabelErrorFinder(method: .confidentJoint).find(probabilities: probabilities, givenLabels: givenLabels,
                                                                              labelCount: labelCount).map(\.index))
            return LabelErrorFinder(method: .pruneByNoiseRate).find(probabilities: probabilities, givenLabels: givenLabels,
                                                                    labelCount: labelCount).filter { byJoint.contains($0.index) }
        }
        switch method {
        case .both:
            break
        case .confidentJoint:
            for item in items {
                if let label = confidentLabel[item], label != givenLabels[item] { flagged.append((item, label)) }
            }
        case .pruneByNoiseRate:
            // Calibrate each row of the joint to the number of items given that label; the
            // off-diagonal entries are then the estimated error counts.
            for given in 0..<labelCount where counts[given] > 0 {
                let rowTotal = joint[given].reduce(0, +)
                guard rowTotal > 0 else { continue }
                let members = items.filter { givenLabels[$0] == given }
                var taken = Set<Int>()
                for truth in 0..<labelCount where truth != given {
                    let estimate = Int((Double(joint[given][truth]) / Double(rowTotal) * Double(counts[given])).rounded())
                    guard estimate > 0 else { continue }
                    let ranked = members.filter { !taken.contains($0) }.sorted { a, b in
                        let marginA = probabilities[a][truth] - probabilities[a][given]
                        let marginB = probabilities[b][truth] - probabilities[b][given]
                        return marginA != marginB ? marginA > marginB : a < b
                    }
                    for item in ranked.prefix(estimate) {
                        taken.insert(item)
                        flagged.append((item, truth))
                    }
                }
            }
        }
        return flagged.filter { argmax(probabilities[$0.item]) != givenLabels[$0.item] }.map { entry in
            // Suggest the probabilities' own argmax: the label a reviewer would most likely move to.
            let suggested = argmax(probabilities[entry.item])
            return Suspect(index: entry.item, givenLabel: givenLabels[entry.item], suggestedLabel: suggested,
                           givenLabelProbability: probabilities[entry.item][givenLabels[entry.item]],
                           suggestedLabelProbability: probabilities[entry.item][suggested])
        }.sorted { $0.givenLabelProbability != $1.givenLabelProbability
            ? $0.givenLabelProbability < $1.givenLabelProbability : $0.index < $1.index }
    }

    /// Out-of-fold probabilities of the task learner: the items are split into `folds` seeded
    /// folds and each fold is scored by a learner trained on the others. With `repeats` above 1,
    /// the average over that many such splits (seeds `seed`, `seed + 7,919`, …: far from the
    /// seeds of a caller's next runs, which count up by one), so that an item's opinion depends
    /// less on which items happened to share its fold.
    public static func outOfFoldProbabilities(vectors: [SparseVector], labels: [Int], labelCount: Int,
                                              vectorizer: TextVectorizer, folds: Int = 5, seed: UInt64 = 0, repeats: Int = 1,
                                              configuration: TaskLearner.Configuration = defaultLearnerConfiguration) -> [[Double]] {
        var total = outOfFoldProbabilities(vectors: vectors, labels: labels, labelCount: labelCount, vectorizer: vectorizer,
                                           folds: folds, seed: seed, configuration: configuration)
        guard repeats > 1 else { return total }
        for repeatIndex in 1..<repeats {
            let another = outOfFoldProbabilities(vectors: vectors, labels: labels, labelCount: labelCount, vectorizer: vectorizer,
                                                 folds: folds, seed: seed &+ UInt64(repeatIndex) &* 7_919, configuration: configuration)
            for item in total.indices {
                for label in total[item].indices { total[item][label] += another[item][label] }
            }
        }
        return total.map { row in row.map { $0 / Double(repeats) } }
    }

    /// One split into folds.
    private static func outOfFoldProbabilities(vectors: [SparseVector], labels: [Int], labelCount: Int,
                                               vectorizer: TextVectorizer, folds: Int, seed: UInt64,
                                               configuration: TaskLearner.Configuration) -> [[Double]] {
        let foldCount = min(max(folds, 2), max(vectors.count, 2))
        var generator = SeededGenerator(seed: seed)
        var foldOf = [Int](repeating: 0, count: vectors.count)
        for (position, index) in generator.shuffled(Array(vectors.indices)).enumerated() { foldOf[index] = position % foldCount }
        return outOfFoldProbabilities(vectors: vectors, labels: labels, labelCount: labelCount, vectorizer: vectorizer,
                                      foldOf: foldOf, configuration: configuration)
    }

    /// Out-of-fold probabilities over splits given item by item (`foldOf[r][i]`: item i's fold in
    /// split r), averaged over the splits: for folds that stay put as items are added
    /// (`StableFolds`), so that an item's opinion changes only as the learner learns.
    public static func outOfFoldProbabilities(vectors: [SparseVector], labels: [Int], labelCount: Int,
                                              vectorizer: TextVectorizer, splits: [[Int]],
                                              configuration: TaskLearner.Configuration) -> [[Double]] {
        guard var total = splits.first.map({ outOfFoldProbabilities(vectors: vectors, labels: labels, labelCount: labelCount,
                                                                    vectorizer: vectorizer, foldOf: $0, configuration: configuration) })
        else { return vectors.map { _ in [] } }
        for foldOf in splits.dropFirst() {
            let another = outOfFoldProbabilities(vectors: vectors, labels: labels, labelCount: labelCount, vectorizer: vectorizer,
                                                 foldOf: foldOf, configuration: configuration)
            for item in total.indices {
                for label in total[item].indices { total[item][label] += another[item][label] }
            }
        }
        return total.map { row in row.map { $0 / Double(splits.count) } }
    }

    /// One split, item by item.
    private static func outOfFoldProbabilities(vectors: [SparseVector], labels: [Int], labelCount: Int,
                                               vectorizer: TextVectorizer, foldOf: [Int],
                                               configuration: TaskLearner.Configuration) -> [[Double]] {
        precondition(vectors.count == labels.count && foldOf.count == vectors.count, "one label and one fold per vector")
        let foldCount = (foldOf.max() ?? 0) + 1
        var result = [[Double]](repeating: [], count: vectors.count)
        for fold in 0..<foldCount where foldOf.contains(fold) {
            let training = vectors.indices.filter { foldOf[$0] != fold }
            var learner = TaskLearner(labelCount: labelCount, vectorizer: vectorizer, configuration: configuration)
            learner.train(vectors: training.map { vectors[$0] }, labels: training.map { labels[$0] })
            for index in vectors.indices where foldOf[index] == fold {
                result[index] = learner.probabilities(for: vectors[index])
            }
        }
        return result
    }

    /// An LLM's probabilities with its label bias removed, out of fold: each fold's vectors are
    /// vector-scaled (`VectorScaling`) by a fit on the other folds' given labels, so no item's own
    /// label shapes its calibrated opinion.
    public static func outOfFoldCalibrated(_ probabilities: [[Double]], labels: [Int], folds: Int = 5,
                                           seed: UInt64 = 0) -> [[Double]] {
        precondition(probabilities.count == labels.count, "one label per probability vector")
        let foldCount = min(max(folds, 2), max(probabilities.count, 2))
        var generator = SeededGenerator(seed: seed)
        var foldOf = [Int](repeating: 0, count: probabilities.count)
        for (position, index) in generator.shuffled(Array(probabilities.indices)).enumerated() { foldOf[index] = position % foldCount }
        var result = probabilities
        for fold in 0..<foldCount {
            let training = probabilities.indices.filter { foldOf[$0] != fold }
            guard let calibrator = try? CalibratorCrossValidation.fit(.vectorScaling, probabilities: training.map { probabilities[$0] },
                                                                      labels: training.map { labels[$0] }) else { continue }
            for index in probabilities.indices where foldOf[index] == fold {
                result[index] = calibrator.calibrated(probabilities: probabilities[index])
            }
        }
        return result
    }

    /// The mean of two opinions where the second exists (e.g. the learner's out-of-fold
    /// probabilities and the LLM's, which never saw the given labels).
    public static func averaged(_ first: [[Double]], with second: [[Double]?]) -> [[Double]] {
        precondition(first.count == second.count, "one second opinion (or nil) per item")
        return zip(first, second).map { a, b in
            guard let b, b.count == a.count else { return a }
            return zip(a, b).map { ($0 + $1) / 2 }
        }
    }
}
