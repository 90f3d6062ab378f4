import Foundation

/// One item a person has decided, with the opinions that were on hand before they decided.
public struct OpinionOutcome: Sendable, Equatable {
    /// The LLM's probabilities (label-set order) under the calibration the combiner will be used
    /// with: keep the raw vector and recalibrate it whenever the calibration is refitted, then
    /// refit the combiner, so that fit and use see the same scale.
    public var llm: [Double]?
    /// The task learner's probabilities from a learner that had not yet been trained on this item.
    public var learner: [Double]?
    /// The label the person settled on.
    public var truth: Int

    public init(llm: [Double]?, learner: [Double]?, truth: Int) {
        self.llm = llm
        self.learner = learner
        self.truth = truth
    }
}

/// Combines the LLM's and the task learner's opinions into one pre-label, each weighted by what it
/// has earned on verified outcomes.
///
/// The pooled vector is a small stacking model, log-linear pooling with per-label biases:
/// softmax(α · log p_llm + β · log p_learner + b), fitted by L2-regularised log loss on the outcomes
/// where both opinions existed before the person decided. It is used only where it beats each source
/// alone on held-out log loss (5-fold cross-validated on the same outcomes) and gets clearly more
/// of them right than the LLM alone; otherwise the LLM's opinion is shown. With fewer than `minimumOutcomes` outcomes with
/// both opinions, the LLM's opinion stands. Only the most recent `recentOutcomeLimit` outcomes count,
/// because the learner improves as it labels: its early opinions understate what it knows now.
public struct OpinionCombiner: Sendable, Equatable, Codable {
    public let source: CombinedPrelabel.Source
    public let llmWeight: Double
    public let learnerWeight: Double
    public let biases: [Double]
    /// Mean held-out log loss of each rule tried (empty when too few outcomes to try).
    public let heldOutLogLoss: [CombinedPrelabel.Source: Double]
    /// How many outcomes with both opinions the choice rests on.
    public let outcomesUsed: Int

    public static let defaultMinimumOutcomes = 30
    public static let defaultRecentOutcomeLimit = 300
    /// How clearly a rule must beat the LLM on held-out labels, in standard deviations of the
    /// difference (wins − losses against √(wins + losses)).
    public static let defaultRequiredAdvantage = 1.0
    /// L2 weight on (α, β, b) added to the summed log loss: light against the outcomes.
    public static let regularization = 1.0

    /// The combiner before any outcome: the LLM's opinion where there is one, else the learner's.
    public static let llmFirst = OpinionCombiner(source: .llm, llmWeight: 1, learnerWeight: 0, biases: [],
                                                 heldOutLogLoss: [:], outcomesUsed: 0)

    public init(source: CombinedPrelabel.Source, llmWeight: Double, learnerWeight: Double, biases: [Double],
                heldOutLogLoss: [CombinedPrelabel.Source: Double], outcomesUsed: Int) {
        self.source = source
        self.llmWeight = llmWeight
        self.learnerWeight = learnerWeight
        self.biases = biases
        self.heldOutLogLoss = heldOutLogLoss
        self.outcomesUsed = outcomesUsed
    }

    /// Chooses and fits the rule on `outcomes` (oldest first).
    /// - Parameter previous: the rule the last fit chose. A rule that has replaced the LLM's label
    ///   keeps it until the LLM is clearly the better one again, not merely until the evidence for
    ///   the rule dips under the bar: the learner only gains with labels, while the evidence moves
    ///   from cycle to cycle by chance (on a TREC-6 replay the pooled rule, chosen at 250
    ///   decisions, lost the bar at 300 and the shown label fell 14 points under the learner's).
    public static func fit(_ outcomes: [OpinionOutcome], labelCount: Int, previous: CombinedPrelabel.Source? = nil,
                           minimumOutcomes: Int = defaultMinimumOutcomes,
                           recentOutcomeLimit: Int = defaultRecentOutcomeLimit,
                           requiredAdvantage: Double = defaultRequiredAdvantage,
                           folds: Int = 5, seed: UInt64 = 0) -> OpinionCombiner {
        let usable = outcomes.filter { outcome in
            guard let llm = outcome.llm, let learner = outcome.learner else { return false }
            return llm.count == labelCount && learner.count == labelCount && (0..<labelCount).contains(outcome.truth)
        }.suffix(recentOutcomeLimit)
        let both = Array(usable)
        guard both.count >= max(minimumOutcomes, 2) else { return .llmFirst }
        let llmLogs = both.map { logs($0.llm!) }
        let learnerLogs = both.map { logs($0.learner!) }
        let truths = both.map(\.truth)

        let foldCount = min(max(folds, 2), both.count)
        var generator = SeededGenerator(seed: seed)
        var foldOf = [Int](repeating: 0, count: both.count)
        for (position, index) in generator.shuffled(Array(both.indices)).enumerated() { foldOf[index] = position % foldCount }
        var stackedLoss = 0.0
        var stackedCorrect = [Bool](repeating: false, count: both.count)
        for fold in 0..<foldCount {
            let training = both.indices.filter { foldOf[$0] != fold }
            let parameters = fitStack(llm: training.map { llmLogs[$0] }, learner: training.map { learnerLogs[$0] },
                                      truths: training.map { truths[$0] }, labelCount: labelCount)
            for index in both.indices where foldOf[index] == fold {
                let vector = pool(llm: llmLogs[index], learner: learnerLogs[index], parameters: parameters)
                stackedLoss -= log(max(vector[truths[index]], ProbabilityScores.defaultClip))
                stackedCorrect[index] = topOf(vector).index == truths[index]
            }
        }
        func singleCorrect(_ logs: [[Double]]) -> [Bool] { zip(logs, truths).map { topOf($0.0).index == $0.1 } }
        func singleLoss(_ logs: [[Double]]) -> Double {
            zip(logs, truths).reduce(0) { total, pair in
                total - log(max(normalised(pair.0)[pair.1], ProbabilityScores.defaultClip))
            }
        }
        let count = Double(both.count)
        let losses: [CombinedPrelabel.Source: Double] = [
            .llm: singleLoss(llmLogs) / count, .learner: singleLoss(learnerLogs) / count, .combined: stackedLoss / count,
        ]
        // Lower log loss is not enough to replace the LLM's label: the rule must also get more labels
        // right on the held-out outcomes than the LLM, by more than chance (of the outcomes where
        // the two differ, the rule's wins minus its losses above one standard deviation, √(wins +
        // losses), as in McNemar's test). On the reviews a pooled rule won on log loss while a weak
        // learner cost the shown label up to 4 points.
        let llmCorrect = singleCorrect(llmLogs)
        let correct: [CombinedPrelabel.Source: [Bool]] = [.learner: singleCorrect(learnerLogs), .combined: stackedCorrect]
        /// The candidate's wins minus its losses against the LLM, and how far that must be from 0 to count.
        func againstLLM(_ candidate: CombinedPrelabel.Source) -> (net: Double, bar: Double) {
            let pairs = zip(correct[candidate]!, llmCorrect)
            let wins = Double(pairs.filter { $0.0 && !$0.1 }.count), defeats = Double(pairs.filter { !$0.0 && $0.1 }.count)
            return (wins - defeats, max(requiredAdvantage * (wins + defeats).squareRoot(), 0))
        }
        func clearlyBetterThanLLM(_ candidate: CombinedPrelabel.Source) -> Bool {
            let margin = againstLLM(candidate)
            return margin.net > margin.bar
        }
        func clearlyWorseThanLLM(_ candidate: CombinedPrelabel.Source) -> Bool {
            let margin = againstLLM(candidate)
            return -margin.net > margin.bar
        }
        var chosen = CombinedPrelabel.Source.llm
        for candidate in [CombinedPrelabel.Source.learner, .combined]
        where losses[candidate]! < losses[chosen]! && clearlyBetterThanLLM(candidate) {
            chosen = candidate
        }
        if chosen == .llm, let previous, previous != .llm, !clearlyWorseThanLLM(previous) { chosen = previous }
        guard chosen == .combined else {
            return OpinionCombiner(source: chosen, llmWeight: chosen == .llm ? 1 : 0, learnerWeight: chosen == .learner ? 1 : 0,
                                   biases: [], heldOutLogLoss: losses, outcomesUsed: both.count)
        }
        let parameters = fitStack(llm: llmLogs, learner: learnerLogs, truths: truths, labelCount: labelCount)
        return OpinionCombiner(source: .combined, llmWeight: parameters[0], learnerWeight: parameters[1],
                               biases: Array(parameters[2...]), heldOutLogLoss: losses, outcomesUsed: both.count)
    }

    /// The pre-label from whatever opinions there are; nil when there are none.
    /// - Parameters:
    ///   - llm: the LLM's calibrated probabilities in label-set order.
    ///   - learner: the task learner's probabilities (nil while it is untrained).
    public func combine(llm: [Double]?, learner: [Double]?) -> CombinedPrelabel? {
        let llmVector = llm.flatMap { $0.isEmpty ? nil : Self.normalised($0.map { log(max($0, 0)) }) }
        let learnerVector = learner.flatMap { $0.isEmpty ? nil : Self.normalised($0.map { log(max($0, 0)) }) }
        let llmOpinion = llmVector.map(Self.topOf)
        let learnerOpinion = learnerVector.map(Self.topOf)
        func prelabel(_ vector: [Double], _ source: CombinedPrelabel.Source) -> CombinedPrelabel {
            CombinedPrelabel(probabilities: vector, prediction: Self.topOf(vector), source: source,
                             llmOpinion: llmOpinion, learnerOpinion: learnerOpinion)
        }
        switch (llmVector, learnerVector) {
        case (nil, nil):
            return nil
        case (let only?, nil):
            return prelabel(only, .llm)
        case (nil, let only?):
            return prelabel(only, .learner)
        case (let fromLLM?, let fromLearner?):
            switch source {
            case .llm: return prelabel(fromLLM, .llm)
            case .learner: return prelabel(fromLearner, .learner)
            case .combined:
                guard biases.count == fromLLM.count, fromLLM.count == fromLearner.count else { return prelabel(fromLLM, .llm) }
                let vector = Self.pool(llm: Self.logs(fromLLM), learner: Self.logs(fromLearner),
                                       parameters: [llmWeight, learnerWeight] + biases)
                return prelabel(vector, .combined)
            }
        }
    }

    // MARK: - The stacking model

    /// Minimises Σ −log softmax(α a_i + β l_i + b)[y_i] + λ/2 ‖(α, β, b)‖² from α = 1, β = 0, b = 0
    /// (the LLM alone). Returns [α, β, b...].
    static func fitStack(llm: [[Double]], learner: [[Double]], truths: [Int], labelCount: Int) -> [Double] {
        let classes = labelCount
        let objective: ([Double], inout [Double]) -> Double = { parameters, gradient in
            for k in gradient.indices { gradient[k] = 0 }
            var loss = 0.0
            var logits = [Double](repeating: 0, count: classes)
            for row in truths.indices {
                let a = llm[row], l = learner[row]
                var top = -Double.infinity
                for k in 0..<classes {
                    logits[k] = parameters[0] * a[k] + parameters[1] * l[k] + parameters[2 + k]
                    top = max(top, logits[k])
                }
                var total = 0.0
                for k in 0..<classes { total += exp(logits[k] - top) }
                let logTotal = log(total) + top
                loss += logTotal - logits[truths[row]]
                for k in 0..<classes {
                    let residual = exp(logits[k] - logTotal) - (k == truths[row] ? 1 : 0)
                    gradient[0] += residual * a[k]
                    gradient[1] += residual * l[k]
                    gradient[2 + k] += residual
                }
            }
            for k in parameters.indices {
                loss += regularization / 2 * parameters[k] * parameters[k]
                gradient[k] += regularization * parameters[k]
            }
            return loss
        }
        var minimizer = LBFGSMinimizer()
        minimizer.maximumIterations = 200
        let start = [1.0, 0.0] + Array(repeating: 0.0, count: classes)
        return minimizer.minimize(start: start, objective: objective).point
    }

    static func pool(llm: [Double], learner: [Double], parameters: [Double]) -> [Double] {
        let logits = llm.indices.map { parameters[0] * llm[$0] + parameters[1] * learner[$0] + parameters[2 + $0] }
        return TemperatureScaling.softmax(logits, scale: 1)
    }

    /// Log-probabilities floored so a zero stays finite (about −27.6).
    static func logs(_ probabilities: [Double]) -> [Double] {
        let total = probabilities.reduce(0, +)
        return probabilities.map { log(max(total > 0 ? $0 / total : 0, TemperatureScaling.probabilityFloor)) }
    }

    /// softmax of log-scores: a probability vector summing to 1.
    static func normalised(_ logScores: [Double]) -> [Double] {
        TemperatureScaling.softmax(logScores.map { max($0, log(TemperatureScaling.probabilityFloor)) }, scale: 1)
    }

    static func topOf(_ vector: [Double]) -> CalibratedPrediction {
        let index = CalibratedPrediction.argmax(vector) ?? 0
        return CalibratedPrediction(index: index, confidence: vector[index])
    }
}
