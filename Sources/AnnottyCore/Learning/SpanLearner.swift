/// The span task's learner: an averaged perceptron over hashed word features (`SpanFeatures`)
/// with IOB2 tags, decoded by Viterbi over the valid transitions only (no `I-T` without a `B-T`
/// or `I-T` before it). It trains in seconds on CoNLL-2003 and gives, per sentence, the margin
/// between its best and second-best tag sequences: the selector's uncertainty.
public struct SpanLearner: Sendable {
    public struct Options: Sendable {
        public var featureBuckets: Int
        public var epochs: Int
        public var seed: UInt64

        public init(featureBuckets: Int = 1 << 20, epochs: Int = 8, seed: UInt64 = 1) {
            self.featureBuckets = featureBuckets
            self.epochs = epochs
            self.seed = seed
        }
    }

    /// A sentence ready for training or decoding: feature buckets per token, gold tags if known.
    public struct EncodedSentence: Sendable {
        public var features: [[Int32]]
        public var tags: [Int]
    }

    /// A decoded sentence: its spans, and how sure the model is of the whole sequence.
    public struct Prediction: Sendable {
        public var spans: [EntitySpan]
        public var tags: [Int]
        /// Best sequence score minus the best score of any other valid sequence (≥ 0; +infinity
        /// for an empty sentence, which has nothing to doubt).
        public var margin: Double
        /// Per token: best sequence score minus the best score of a sequence with another tag
        /// there. The sentence's margin is the smallest of them.
        public var tokenMargins: [Double]

        /// Per span (in `spans` order): the smallest token margin over its tokens and the token
        /// after it (an alternative that extends the span changes that one), a per-span
        /// confidence for routing; larger is surer.
        public var spanMargins: [Double] {
            var margins: [Double] = []
            var index = 0
            while index < tags.count {
                guard tags[index] != 0 else { index += 1; continue }
                let begin = tags[index] % 2 == 1 ? tags[index] : tags[index] - 1
                var last = index
                while last + 1 < tags.count, tags[last + 1] == begin + 1 { last += 1 }
                margins.append(tokenMargins[index...min(last + 1, tags.count - 1)].min()!)
                index = last + 1
            }
            return margins
        }
    }

    public let tagSet: SpanTagSet
    public let features: SpanFeatures
    /// Averaged emission weights, `bucket * tagCount + tag`.
    private var emission: [Float]
    /// Averaged transition weights, `(previous + 1) * tagCount + next`; row 0 is the start.
    private var transition: [Float]

    public init(types: some Sequence<String>, options: Options = Options()) {
        tagSet = SpanTagSet(types: types)
        features = SpanFeatures(bucketCount: options.featureBuckets)
        emission = Array(repeating: 0, count: options.featureBuckets * tagSet.count)
        transition = Array(repeating: 0, count: (tagSet.count + 1) * tagSet.count)
    }

    public func encode(_ item: SpanItem) -> EncodedSentence {
        EncodedSentence(features: features.extract(item.tokens.map(\.text)), tags: tagSet.tags(of: item))
    }

    /// Trains a learner on span items (their tokens and spans).
    public static func train(on items: [SpanItem], types: some Sequence<String>, options: Options = Options()) -> SpanLearner {
        var learner = SpanLearner(types: types, options: options)
        learner.train(items.map(learner.encode), options: options)
        return learner
    }

    /// Trains from zero on encoded sentences (encode once, train many times in a simulation).
    public mutating func train(_ sentences: [EncodedSentence], options: Options) {
        let tagCount = tagSet.count
        // Averaging by the "w − u/c" identity: u collects each update times the step it happened at.
        var weights = [Float](repeating: 0, count: emission.count)
        var stepWeighted = [Double](repeating: 0, count: emission.count)
        var transitionWeights = [Float](repeating: 0, count: transition.count)
        var transitionStepWeighted = [Double](repeating: 0, count: transition.count)
        var step: Double = 1
        var generator = SeededGenerator(seed: options.seed)
        var order = Array(sentences.indices)
        for _ in 0..<options.epochs {
            order = generator.shuffled(order)
            for index in order {
                let sentence = sentences[index]
                guard !sentence.tags.isEmpty else { continue }
                let predicted = Self.viterbi(sentence.features, tagSet: tagSet, tagCount: tagCount,
                                             emission: weights, transition: transitionWeights,
                                             computeMargin: false).tags
                if predicted != sentence.tags {
                    var previousGold = -1
                    var previousPredicted = -1
                    for position in sentence.tags.indices {
                        let gold = sentence.tags[position]
                        let guess = predicted[position]
                        if gold != guess {
                            for bucket in sentence.features[position] {
                                let base = Int(bucket) * tagCount
                                weights[base + gold] += 1
                                stepWeighted[base + gold] += step
                                weights[base + guess] -= 1
                                stepWeighted[base + guess] -= step
                            }
                        }
                        if gold != guess || previousGold != previousPredicted {
                            let goldCell = (previousGold + 1) * tagCount + gold
                            let guessCell = (previousPredicted + 1) * tagCount + guess
                            transitionWeights[goldCell] += 1
                            transitionStepWeighted[goldCell] += step
                            transitionWeights[guessCell] -= 1
                            transitionStepWeighted[guessCell] -= step
                        }
                        previousGold = gold
                        previousPredicted = guess
                    }
                }
                step += 1
            }
        }
        emission = zip(weights, stepWeighted).map { $0 - Float($1 / step) }
        transition = zip(transitionWeights, transitionStepWeighted).map { $0 - Float($1 / step) }
    }

    public func predict(_ item: SpanItem) -> Prediction {
        predict(encode(item), in: item)
    }

    public func predict(_ sentence: EncodedSentence, in item: SpanItem) -> Prediction {
        let decoded = Self.viterbi(sentence.features, tagSet: tagSet, tagCount: tagSet.count,
                                   emission: emission, transition: transition)
        return Prediction(spans: tagSet.spans(decoded.tags, in: item), tags: decoded.tags, margin: decoded.margin,
                          tokenMargins: decoded.tokenMargins)
    }

    /// The margin alone (the selector's use: higher uncertainty for a smaller margin).
    public func margin(_ sentence: EncodedSentence) -> Double {
        Self.viterbi(sentence.features, tagSet: tagSet, tagCount: tagSet.count,
                     emission: emission, transition: transition, computeMargin: true).margin
    }

    /// Best valid tag sequence, and its margin over the second best. The second-best sequence
    /// differs from the best at some position, so its score is the largest max-marginal
    /// (best forward score into a tag plus best backward score out of it) of a tag off the
    /// best path: one backward pass gives it exactly.
    static func viterbi(
        _ features: [[Int32]], tagSet: SpanTagSet, tagCount: Int, emission: [Float], transition: [Float],
        computeMargin: Bool = true
    ) -> (tags: [Int], margin: Double, tokenMargins: [Double]) {
        let length = features.count
        guard length > 0 else { return ([], .infinity, []) }
        let impossible = -Double.greatestFiniteMagnitude / 4
        var scores = [Double](repeating: 0, count: length * tagCount)
        for position in 0..<length {
            for bucket in features[position] {
                let base = Int(bucket) * tagCount
                for tag in 0..<tagCount { scores[position * tagCount + tag] += Double(emission[base + tag]) }
            }
        }
        var allowed = [Bool](repeating: false, count: (tagCount + 1) * tagCount)
        for previous in -1..<tagCount {
            for next in 0..<tagCount {
                allowed[(previous + 1) * tagCount + next] = tagSet.allows(previous < 0 ? nil : previous, next)
            }
        }
        var forward = [Double](repeating: impossible, count: length * tagCount)
        var backPointer = [Int](repeating: 0, count: length * tagCount)
        for tag in 0..<tagCount where allowed[tag] {
            forward[tag] = Double(transition[tag]) + scores[tag]
        }
        for position in 1..<max(length, 1) {
            for next in 0..<tagCount {
                var best = impossible
                var bestPrevious = 0
                for previous in 0..<tagCount where allowed[(previous + 1) * tagCount + next] {
                    let candidate = forward[(position - 1) * tagCount + previous]
                        + Double(transition[(previous + 1) * tagCount + next])
                    if candidate > best { best = candidate; bestPrevious = previous }
                }
                forward[position * tagCount + next] = best + scores[position * tagCount + next]
                backPointer[position * tagCount + next] = bestPrevious
            }
        }
        var last = 0
        for tag in 1..<tagCount where forward[(length - 1) * tagCount + tag] > forward[(length - 1) * tagCount + last] {
            last = tag
        }
        var tags = [Int](repeating: 0, count: length)
        tags[length - 1] = last
        for position in stride(from: length - 1, to: 0, by: -1) {
            tags[position - 1] = backPointer[position * tagCount + tags[position]]
        }
        guard computeMargin else { return (tags, .nan, []) }
        let bestScore = forward[(length - 1) * tagCount + last]
        // backward[i][t]: best score of positions after i, given tag t at i.
        var backward = [Double](repeating: 0, count: length * tagCount)
        for position in stride(from: length - 2, through: 0, by: -1) {
            for tag in 0..<tagCount {
                var best = impossible
                for next in 0..<tagCount where allowed[(tag + 1) * tagCount + next] {
                    let candidate = Double(transition[(tag + 1) * tagCount + next])
                        + scores[(position + 1) * tagCount + next] + backward[(position + 1) * tagCount + next]
                    if candidate > best { best = candidate }
                }
                backward[position * tagCount + tag] = best
            }
        }
        var tokenMargins = [Double](repeating: .infinity, count: length)
        for position in 0..<length {
            for tag in 0..<tagCount where tag != tags[position] {
                let through = forward[position * tagCount + tag] + backward[position * tagCount + tag]
                if through > impossible / 2 { tokenMargins[position] = min(tokenMargins[position], bestScore - through) }
            }
        }
        return (tags, tokenMargins.min() ?? .infinity, tokenMargins)
    }
}
