/// The one pre-label shown for an item, made from every opinion there is (the LLM's calibrated
/// probabilities and the task learner's), with each opinion kept for the screen to show when they
/// disagree.
public struct CombinedPrelabel: Sendable, Equatable {
    /// What the pre-label rests on.
    public enum Source: String, Sendable, Codable, CaseIterable {
        /// The LLM's calibrated opinion alone (no learner yet, or the learner has not earned a say).
        case llm
        /// The task learner's opinion alone (no LLM opinion, or the learner has out-done the LLM).
        case learner
        /// Both, pooled by weights fitted on verified outcomes.
        case combined
    }

    /// The combined probability vector over the label set, summing to 1.
    public var probabilities: [Double]
    /// The label shown (an index into the label set) and its probability: the confidence to show and route on.
    public var prediction: CalibratedPrediction
    public var source: Source
    /// The LLM's own label and confidence, when it gave an opinion.
    public var llmOpinion: CalibratedPrediction?
    /// The learner's own label and confidence, when it gave an opinion.
    public var learnerOpinion: CalibratedPrediction?

    public init(probabilities: [Double], prediction: CalibratedPrediction, source: Source,
                llmOpinion: CalibratedPrediction?, learnerOpinion: CalibratedPrediction?) {
        self.probabilities = probabilities
        self.prediction = prediction
        self.source = source
        self.llmOpinion = llmOpinion
        self.learnerOpinion = learnerOpinion
    }

    public var index: Int { prediction.index }
    public var confidence: Double { prediction.confidence }

    /// Both opinions exist and name different labels: the screen shows both, with one key to
    /// take the other one.
    public var opinionsDisagree: Bool {
        guard let llmOpinion, let learnerOpinion else { return false }
        return llmOpinion.index != learnerOpinion.index
    }

    /// The other opinion's label when the sources disagree: the one a single key would take.
    public var alternative: CalibratedPrediction? {
        guard opinionsDisagree, let llmOpinion, let learnerOpinion else { return nil }
        return llmOpinion.index == prediction.index ? learnerOpinion : llmOpinion
    }
}
