import Foundation

/// The task learner: multinomial logistic regression over `TextVectorizer` features, trained on the
/// person's labels, giving a probability for every label. Fitting is full-batch L-BFGS on the exact
/// regularised objective, so it is deterministic and needs no seed: the same labels give the same model.
public struct TaskLearner: Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        /// C in  sum of log-losses + ||W||² / (2C). Larger C fits the labels more closely. 100 gave the
        /// best TREC-6 learning curves among 3, 10, 30, 100 and 300 (docs/active-learning.md); trained
        /// on all 5,452 questions: 0.884 accuracy (0.902 with 100 iterations instead of 40).
        public var inverseRegularization: Double
        /// L-BFGS iteration cap for small label sets.
        public var maximumIterations: Int
        /// On large label sets the cap shrinks to keep retraining quick: at most
        /// `iterationWorkBudget / labels` iterations, but never fewer than `minimumIterations`.
        /// With the defaults, up to 2,000 labels get 100 iterations and 5,000 or more get 40
        /// (TREC-6, 5,000 labels: 0.884 test accuracy at 40, 0.902 at 100, in 40% of the time).
        public var iterationWorkBudget: Int
        public var minimumIterations: Int
        /// Weight each label's examples by (labels / (classes present × examples of that label)), so a
        /// rare label is not drowned out while the labelled set is small and lopsided.
        public var balanceClasses: Bool
        /// Features seen in only one labelled text ("one-off") fade out between these label counts:
        /// full weight up to `lowerBound`, scaled down linearly, and left out from `upperBound` on
        /// (which more than halves the parameters and the training time on thousands of labels).
        /// A fade rather than a switch: dropping them all at once at 1,000 labels made that retrain
        /// worse than the one before it on some data (SST-like reviews: 0.732, then 0.722).
        public var oneOffFeatureFade: ClosedRange<Int>

        public init(inverseRegularization: Double = 100, maximumIterations: Int = 100,
                    iterationWorkBudget: Int = 200_000, minimumIterations: Int = 40, balanceClasses: Bool = false,
                    oneOffFeatureFade: ClosedRange<Int> = 1000...2000) {
            self.inverseRegularization = inverseRegularization
            self.iterationWorkBudget = iterationWorkBudget
            self.minimumIterations = minimumIterations
            self.oneOffFeatureFade = oneOffFeatureFade
            self.maximumIterations = maximumIterations
            self.balanceClasses = balanceClasses
        }

        /// The factor one-off features are scaled by when training on `count` examples: 1, then
        /// falling linearly to 0 (left out) across `oneOffFeatureFade`.
        public func oneOffFeatureScale(forExamples count: Int) -> Double {
            let fade = oneOffFeatureFade
            if count <= fade.lowerBound { return 1 }
            if count >= fade.upperBound { return 0 }
            return Double(fade.upperBound - count) / Double(fade.upperBound - fade.lowerBound)
        }

        /// The iteration cap for a training set of `count` examples.
        public func iterationCap(forExamples count: Int) -> Int {
            let byBudget = count > 0 ? iterationWorkBudget / count : maximumIterations
            return min(maximumIterations, max(minimumIterations, byBudget))
        }
    }

    public let labelCount: Int
    public let vectorizer: TextVectorizer
    public let configuration: Configuration
    /// Weights over the whole hashed space, feature-major: weight of (feature f, label c) at f * labelCount + c.
    private var weights: [Float]
    private var bias: [Double]
    /// Number of examples in the last training; 0 means untrained (uniform probabilities).
    public private(set) var trainingExampleCount: Int
    /// L-BFGS iterations used by the last training.
    public private(set) var lastIterationCount: Int

    public init(labelCount: Int, vectorizer: TextVectorizer = TextVectorizer(),
                configuration: Configuration = Configuration()) {
        precondition(labelCount >= 1, "a task needs at least one label")
        self.labelCount = labelCount
        self.vectorizer = vectorizer
        self.configuration = configuration
        self.weights = []
        self.bias = [Double](repeating: 0, count: labelCount)
        self.trainingExampleCount = 0
        self.lastIterationCount = 0
    }

    /// The feature vector the learner uses for `text`.
    public func features(for text: String) -> SparseVector {
        vectorizer.vector(for: text)
    }

    /// Trains from scratch on texts and their label indices (0..<labelCount); labels outside that
    /// range are ignored.
    public mutating func train(texts: [String], labels: [Int]) {
        train(vectors: vectorizer.vectors(for: texts), labels: labels)
    }

    /// Trains from scratch on feature vectors made by `vectorizer` and their label indices.
    public mutating func train(vectors: [SparseVector], labels: [Int]) {
        precondition(vectors.count == labels.count, "one label per vector")
        let examples = zip(vectors, labels).filter { (0..<labelCount).contains($0.1) }
        trainingExampleCount = examples.count
        guard !examples.isEmpty else {
            weights = []
            bias = [Double](repeating: 0, count: labelCount)
            lastIterationCount = 0
            return
        }

        // Optimise only over features that occur in the labelled texts; the rest stay zero anyway.
        // One-off features (in a single labelled text) fade out as labels accumulate, see
        // `oneOffFeatureFade`: a feature value scaled by s with weight w predicts as the unscaled
        // value with weight w·s, so the stored weight is w·s and prediction needs no special case.
        var featureFrequency: [UInt32: Int32] = [:]
        for (vector, _) in examples {
            for index in vector.indices { featureFrequency[index, default: 0] += 1 }
        }
        let oneOffScale = configuration.oneOffFeatureScale(forExamples: examples.count)
        let minimumFrequency: Int32 = oneOffScale > 0 ? 1 : 2
        // Most frequent features first: their parameters then share cache lines, which the
        // gradient loop touches for nearly every row.
        let featureOrder = featureFrequency.filter { $0.value >= minimumFrequency }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map(\.key)
        var localIndex = [UInt32: Int32](minimumCapacity: featureOrder.count)
        for (position, feature) in featureOrder.enumerated() { localIndex[feature] = Int32(position) }

        var rowStarts = [Int](repeating: 0, count: examples.count + 1)
        var columns: [Int32] = []
        var entries: [Double] = []
        for (row, (vector, _)) in examples.enumerated() {
            for (index, value) in zip(vector.indices, vector.values) {
                if let column = localIndex[index] {
                    columns.append(column)
                    entries.append(featureFrequency[index] == 1 ? Double(value) * oneOffScale : Double(value))
                }
            }
            rowStarts[row + 1] = columns.count
        }
        let targets = examples.map { $0.1 }
        var exampleWeights = [Double](repeating: 1, count: examples.count)
        if configuration.balanceClasses {
            var countsPerLabel = [Int](repeating: 0, count: labelCount)
            for label in targets { countsPerLabel[label] += 1 }
            let present = Double(countsPerLabel.filter { $0 > 0 }.count)
            for (row, label) in targets.enumerated() {
                exampleWeights[row] = Double(examples.count) / (present * Double(countsPerLabel[label]))
            }
        }

        let classes = labelCount
        let featureCount = featureOrder.count
        let biasOffset = featureCount * classes
        let regularisation = 1 / configuration.inverseRegularization
        // Raw pointers and while loops: this is the hot loop, and it must stay tolerable in debug builds too.
        let objective: ([Double], inout [Double]) -> Double = { parameters, gradient in
            var loss: Double = 0
            let scores = UnsafeMutablePointer<Double>.allocate(capacity: classes)
            defer { scores.deallocate() }
            parameters.withUnsafeBufferPointer { thetaBuffer in
                gradient.withUnsafeMutableBufferPointer { gradBuffer in
                    columns.withUnsafeBufferPointer { colsBuffer in
                        entries.withUnsafeBufferPointer { valsBuffer in
                            rowStarts.withUnsafeBufferPointer { startsBuffer in
                                guard let theta = thetaBuffer.baseAddress, let grad = gradBuffer.baseAddress,
                                      let starts = startsBuffer.baseAddress else { return }
                                let cols = colsBuffer.baseAddress, vals = valsBuffer.baseAddress
                                var squares: Double = 0
                                var k = 0
                                while k < biasOffset {
                                    let value = theta[k]
                                    grad[k] = regularisation * value
                                    squares += value * value
                                    k += 1
                                }
                                loss = 0.5 * regularisation * squares
                                var c = 0
                                while c < classes { grad[biasOffset + c] = 0; c += 1 }
                                var row = 0
                                while row < targets.count {
                                    let start = starts[row], end = starts[row + 1]
                                    c = 0
                                    while c < classes { scores[c] = theta[biasOffset + c]; c += 1 }
                                    k = start
                                    while k < end {
                                        let weights = theta + Int(cols![k]) * classes
                                        let x = vals![k]
                                        c = 0
                                        while c < classes { scores[c] += x * weights[c]; c += 1 }
                                        k += 1
                                    }
                                    var top = scores[0]
                                    c = 1
                                    while c < classes { if scores[c] > top { top = scores[c] }; c += 1 }
                                    var total: Double = 0
                                    c = 0
                                    while c < classes { scores[c] = exp(scores[c] - top); total += scores[c]; c += 1 }
                                    let weight = exampleWeights[row]
                                    let target = targets[row]
                                    loss += weight * (log(total) - log(max(scores[target], .leastNormalMagnitude)))
                                    c = 0
                                    while c < classes {
                                        scores[c] = weight * (scores[c] / total - (c == target ? 1 : 0))
                                        grad[biasOffset + c] += scores[c]
                                        c += 1
                                    }
                                    k = start
                                    while k < end {
                                        let gradients = grad + Int(cols![k]) * classes
                                        let x = vals![k]
                                        c = 0
                                        while c < classes { gradients[c] += x * scores[c]; c += 1 }
                                        k += 1
                                    }
                                    row += 1
                                }
                            }
                        }
                    }
                }
            }
            return loss
        }

        var minimizer = LBFGSMinimizer()
        minimizer.maximumIterations = configuration.iterationCap(forExamples: examples.count)
        let start = [Double](repeating: 0, count: biasOffset + classes)
        let (solution, iterations) = minimizer.minimize(start: start, objective: objective)
        lastIterationCount = iterations

        var fullWeights = [Float](repeating: 0, count: vectorizer.dimension * classes)
        for (position, feature) in featureOrder.enumerated() {
            let scale = featureFrequency[feature] == 1 ? oneOffScale : 1
            for c in 0..<classes {
                fullWeights[Int(feature) * classes + c] = Float(solution[position * classes + c] * scale)
            }
        }
        weights = fullWeights
        bias = Array(solution[biasOffset...])
    }

    public func probabilities(for text: String) -> [Double] {
        probabilities(for: features(for: text))
    }

    public func probabilities(for vector: SparseVector) -> [Double] {
        var row = [Double](repeating: 0, count: labelCount)
        row.withUnsafeMutableBufferPointer { fillProbabilities(of: vector, into: $0) }
        return row
    }

    /// Probabilities for many items at once, one row per vector.
    public func probabilities(for vectors: [SparseVector]) -> ProbabilityMatrix {
        var values = [Double](repeating: 0, count: vectors.count * labelCount)
        values.withUnsafeMutableBufferPointer { buffer in
            for (row, vector) in vectors.enumerated() {
                let slice = UnsafeMutableBufferPointer(rebasing: buffer[(row * labelCount)..<((row + 1) * labelCount)])
                fillProbabilities(of: vector, into: slice)
            }
        }
        return ProbabilityMatrix(rowCount: vectors.count, columnCount: labelCount, values: values)
    }

    private func fillProbabilities(of vector: SparseVector, into row: UnsafeMutableBufferPointer<Double>) {
        guard let out = row.baseAddress else { return }
        let classes = labelCount
        var c = 0
        while c < classes { out[c] = bias[c]; c += 1 }
        if !weights.isEmpty {
            weights.withUnsafeBufferPointer { weightBuffer in
                vector.indices.withUnsafeBufferPointer { indexBuffer in
                    vector.values.withUnsafeBufferPointer { valueBuffer in
                        guard let w = weightBuffer.baseAddress, let indices = indexBuffer.baseAddress,
                              let values = valueBuffer.baseAddress else { return }
                        let limit = weightBuffer.count
                        var k = 0
                        while k < indexBuffer.count {
                            let base = Int(indices[k]) * classes
                            if base + classes <= limit {
                                let x = Double(values[k])
                                c = 0
                                while c < classes { out[c] += x * Double(w[base + c]); c += 1 }
                            }
                            k += 1
                        }
                    }
                }
            }
        }
        var top = out[0]
        c = 1
        while c < classes { if out[c] > top { top = out[c] }; c += 1 }
        var total: Double = 0
        c = 0
        while c < classes { out[c] = exp(out[c] - top); total += out[c]; c += 1 }
        c = 0
        while c < classes { out[c] /= total; c += 1 }
    }
}
