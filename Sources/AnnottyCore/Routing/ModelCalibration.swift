import Foundation

/// A model's fitted calibrator with the evidence behind it: what the router trusts.
public struct ModelCalibration: Sendable, Equatable {
    public var calibrator: Calibrator
    public var verifiedOutcomes: Int
    public var measuredAccuracy: Double

    public static let uncalibrated = ModelCalibration(calibrator: .identity, verifiedOutcomes: 0, measuredAccuracy: 0)

    public init(calibrator: Calibrator, verifiedOutcomes: Int, measuredAccuracy: Double) {
        self.calibrator = calibrator
        self.verifiedOutcomes = verifiedOutcomes
        self.measuredAccuracy = measuredAccuracy
    }

    /// Mean held-out log loss of each calibrator tried at the last fit (by `Calibrator.kind`),
    /// empty when too few outcomes to try any: why this calibrator and not another.
    public var heldOutLogLoss: [String: Double] = [:]
    /// Held-out accuracy of the chosen calibrator's label: with vector scaling it may exceed
    /// `measuredAccuracy` (the raw label's); nil when nothing was fitted.
    public var heldOutAccuracy: Double?
    /// The label set the calibrator's vectors are in (label-set order), so that a stored
    /// calibration can calibrate a prediction's whole vector; empty for one stored before.
    public var labelNames: [String] = []
    /// How the calibrated LLM opinion and the task learner's are pooled into the pre-label,
    /// refitted with the calibration on the same outcomes; nil before any fit (the LLM's opinion
    /// stands, the learner's is offered when it disagrees).
    public var combiner: OpinionCombiner?

    /// The confidence to show and route on for a raw top-label confidence. With vector scaling
    /// this is the raw confidence: use `calibratedPrediction(probabilities:)` where the vector is at hand.
    public func calibratedConfidence(_ raw: Double) -> Double {
        bounded(calibrator.calibratedConfidence(raw))
    }

    /// The label (index into the label set) and confidence to show and route on.
    public func calibratedPrediction(probabilities: [Double]) -> CalibratedPrediction {
        var prediction = calibrator.calibratedPrediction(probabilities: probabilities)
        prediction.confidence = bounded(prediction.confidence)
        return prediction
    }

    /// A fitted calibrator's confidence stays within [1/(n+2), (n+1)/(n+2)] for n verified
    /// outcomes (Laplace): n outcomes cannot justify certainty, and a temperature fitted on a few
    /// outcomes that were all right would otherwise say exactly 1. The raw confidence is left alone.
    private func bounded(_ confidence: Double) -> Double {
        guard calibrator != .identity, verifiedOutcomes > 0 else { return min(1, max(0, confidence)) }
        let n = Double(verifiedOutcomes)
        return min((n + 1) / (n + 2), max(1 / (n + 2), confidence))
    }

    /// The whole calibrated probability vector (what the opinion combiner takes from the model).
    public func calibratedProbabilities(_ probabilities: [Double]) -> [Double] {
        calibrator.calibrated(probabilities: probabilities)
    }

    /// Fewer outcomes than this: keep the raw confidence (a fit on a handful overfits).
    public static let minimumOutcomesToFit = 20

    /// Tries temperature scaling, isotonic regression and vector scaling against the raw
    /// probabilities by 5-fold cross-validated log loss (`CalibratorCrossValidation`) and refits
    /// the winner on every outcome; the raw probabilities stay unless a calibrator beats them.
    public static func fit(_ outcomes: VerifiedOutcomes, seed: UInt64 = 0) throws -> ModelCalibration {
        let accuracy = outcomes.accuracy ?? 0
        guard outcomes.count >= minimumOutcomesToFit,
              let length = outcomes.outcomes.first?.probabilities.count,
              outcomes.outcomes.allSatisfy({ $0.probabilities.count == length }) else {
            return ModelCalibration(calibrator: .identity, verifiedOutcomes: outcomes.count, measuredAccuracy: accuracy)
        }
        let vectors = outcomes.outcomes.map(\.probabilities)
        let truths = outcomes.outcomes.map(\.trueIndex)
        let choice = try CalibratorCrossValidation.choose(probabilities: vectors, labels: truths, seed: seed)
        var calibration = ModelCalibration(calibrator: try choice.refit(probabilities: vectors, labels: truths),
                                           verifiedOutcomes: outcomes.count, measuredAccuracy: accuracy)
        calibration.heldOutLogLoss = Dictionary(uniqueKeysWithValues: choice.heldOutLogLoss.map { ($0.key.rawValue, $0.value) })
        calibration.heldOutAccuracy = choice.heldOutAccuracy[choice.chosen]
        // What the router measures is the accuracy of the labels it would accept: once a
        // calibrator may move labels, that is the chosen calibrator's (cross-validated) accuracy.
        if calibration.calibrator != .identity, let heldOut = calibration.heldOutAccuracy {
            calibration.measuredAccuracy = heldOut
        }
        return calibration
    }

    /// Fits and stores the calibration of `model` from the project's verified outcomes.
    @discardableResult
    public static func refit(store: any AnnotationStore, model: String, labels: LabelSet) throws -> ModelCalibration {
        var calibration = try fit(VerifiedOutcomes(store: store, model: model, labels: labels))
        calibration.labelNames = labels.names
        let stored = try calibration.stored(model: model)
        try store.saveCalibration(model: model, calibratorJSON: stored.calibratorJSON,
                                  verifiedOutcomes: stored.verifiedOutcomes, measuredAccuracy: stored.measuredAccuracy)
        return calibration
    }

    /// The stored calibration of `model`, or `uncalibrated`.
    public static func load(store: any AnnotationStore, model: String) throws -> ModelCalibration {
        guard let stored = try store.calibration(model: model) else { return .uncalibrated }
        return ModelCalibration(stored: StoredCalibration(model: model, calibratorJSON: stored.calibratorJSON,
                                                          verifiedOutcomes: stored.verifiedOutcomes,
                                                          measuredAccuracy: stored.measuredAccuracy))
    }

    /// A calibration as the store keeps it; `uncalibrated` when its JSON cannot be read (a
    /// calibrator written by a newer annotty): the raw confidence is then shown, never a guess.
    /// Reads both forms: `{"labels": [...], "calibrator": {...}}` and a bare calibrator (before
    /// label names were stored).
    public init(stored: StoredCalibration) {
        let data = Data(stored.calibratorJSON.utf8)
        if let wrapped = try? JSONDecoder().decode(StoredForm.self, from: data) {
            self.init(calibrator: wrapped.calibrator, verifiedOutcomes: stored.verifiedOutcomes,
                      measuredAccuracy: stored.measuredAccuracy)
            labelNames = wrapped.labels
            combiner = wrapped.combiner
        } else if let calibrator = try? JSONDecoder().decode(Calibrator.self, from: data) {
            self.init(calibrator: calibrator, verifiedOutcomes: stored.verifiedOutcomes, measuredAccuracy: stored.measuredAccuracy)
        } else {
            self = .uncalibrated
        }
    }

    private struct StoredForm: Codable {
        var labels: [String]
        var calibrator: Calibrator
        /// Absent in calibrations stored before the combiner.
        var combiner: OpinionCombiner?
    }

    /// This calibration in the form the store keeps.
    public func stored(model: String) throws -> StoredCalibration {
        let data = try JSONEncoder().encode(StoredForm(labels: labelNames, calibrator: calibrator, combiner: combiner))
        return StoredCalibration(model: model, calibratorJSON: String(decoding: data, as: UTF8.self),
                                 verifiedOutcomes: verifiedOutcomes, measuredAccuracy: measuredAccuracy)
    }

    /// The prediction with its calibrated label and confidence: the one place a prediction is
    /// calibrated. With the label set known, the whole vector is calibrated (vector scaling may
    /// put another label first) and, given the task learner's opinion, combined with it by
    /// `combiner`; otherwise the top label's confidence. Invalid predictions carry none.
    /// - Parameter learner: the task learner's probabilities for the item (label-set order).
    public func calibrated(_ prediction: Prediction, learner: [Double]? = nil) -> Prediction {
        var calibrated = prediction
        calibrated.calibratedLabel = nil
        calibrated.calibratedConfidence = nil
        calibrated.shownSource = nil
        calibrated.alternative = nil
        guard prediction.isValid, let label = prediction.label, let raw = prediction.rawConfidence else { return calibrated }
        guard !labelNames.isEmpty, labelNames.contains(label) else {
            calibrated.calibratedConfidence = calibratedConfidence(raw)
            return calibrated
        }
        let vector = labelNames.map { prediction.probabilities[$0] ?? 0 }
        let (shown, pooled) = shown(probabilities: vector, learner: learner)
        if let pooled {
            calibrated.shownSource = pooled.source
            if let other = pooled.alternative, labelNames.indices.contains(other.index) {
                let otherSource: CombinedPrelabel.Source = pooled.llmOpinion?.index == other.index ? .llm : .learner
                let confidence = otherSource == .llm ? calibratedPrediction(probabilities: vector).confidence : other.confidence
                calibrated.alternative = PrelabelOpinion(label: labelNames[other.index], confidence: confidence, source: otherSource)
            }
        }
        calibrated.calibratedConfidence = shown.confidence
        if labelNames.indices.contains(shown.index), labelNames[shown.index] != label {
            calibrated.calibratedLabel = labelNames[shown.index]
        }
        return calibrated
    }

    /// The label and confidence to show and route on for the model's vector (label-set order),
    /// pooled with the task learner's opinion by `combiner` where there is one (the LLM's own
    /// calibrated opinion while the learner has not earned a say), with the pooled opinions.
    public func shown(probabilities vector: [Double], learner: [Double]?) -> (prediction: CalibratedPrediction, pooled: CombinedPrelabel?) {
        let calibrated = calibratedPrediction(probabilities: vector)
        guard let learner, learner.count == vector.count,
              let pooled = (combiner ?? .llmFirst).combine(llm: calibratedProbabilities(vector), learner: learner) else {
            return (calibrated, nil)
        }
        return (pooled.source == .llm ? calibrated : pooled.prediction, pooled)
    }

    /// The calibrated label (when moved) and confidence, as a routing pass stores them.
    public func calibratedValue(_ prediction: Prediction, learner: [Double]? = nil) -> CalibratedValue? {
        let calibrated = self.calibrated(prediction, learner: learner)
        return calibrated.calibratedConfidence.map {
            CalibratedValue(label: calibrated.calibratedLabel, confidence: $0, source: calibrated.shownSource,
                            alternative: calibrated.alternative)
        }
    }
}
