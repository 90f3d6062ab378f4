import Dispatch
import Foundation
import Synchronization

/// A multi-label model's calibration: one binary calibrator per label, each mapping the model's
/// raw probability that the label is in an item's set to a calibrated one. Each is a
/// `ModelCalibration` fitted on the label's outcomes as two-class vectors [1 − p, p], so the same
/// choice (identity, temperature, isotonic, vector scaling by held-out log loss, identity below
/// 20 outcomes) and the same Laplace bound apply per label. Vector scaling on two classes is
/// Platt scaling of the log-odds: it is what corrects a model that says "in" too readily, which a
/// top-label map (symmetric in p and 1 − p) cannot.
///
/// Stored where calibrations are stored (the model's row, as JSON with `"task":"multi"`) and
/// applied by the store when it saves a multi-label prediction, the one place predictions are
/// calibrated. No opinion combiner: the task learner's set feeds the selector only.
public struct MultiLabelCalibration: Sendable, Equatable {
    /// The labels, in label-set order; `perLabel[i]` calibrates `labelNames[i]`.
    public var labelNames: [String]
    public var perLabel: [ModelCalibration]
    /// Decided items the calibration was fitted on.
    public var verifiedOutcomes: Int
    /// Share of those items whose calibrated set is exactly the people's set: what the accuracy
    /// floor compares. Measured on the fitting items; only vector scaling (4 parameters a label)
    /// can move a label across the cut-off, so its optimism is small.
    public var measuredAccuracy: Double
    /// The project's `allow_empty_set` when fitted. Where an empty set is no answer, a set with
    /// no label at or above one half shows its most probable label instead (on GoEmotions, whose
    /// items all have a label, that took held-out exact sets from 32% to 52%), with that label's
    /// own probability as the set's confidence, so it is never auto-accepted.
    public var allowsEmptySet = true

    public init(labelNames: [String], perLabel: [ModelCalibration], verifiedOutcomes: Int, measuredAccuracy: Double) {
        precondition(labelNames.count == perLabel.count, "one calibration per label")
        self.labelNames = labelNames
        self.perLabel = perLabel
        self.verifiedOutcomes = verifiedOutcomes
        self.measuredAccuracy = measuredAccuracy
    }

    /// Every label's raw probability stands.
    public static func uncalibrated(labels: LabelSet) -> MultiLabelCalibration {
        MultiLabelCalibration(labelNames: labels.names, perLabel: labels.names.map { _ in .uncalibrated },
                              verifiedOutcomes: 0, measuredAccuracy: 0)
    }

    public var labels: LabelSet { LabelSet(names: labelNames) }

    /// Raw probabilities are kept this far from 0 and 1: a log-odds calibrator (vector scaling)
    /// takes their logarithm, and an LLM's log-probabilities do round to exactly 0 or 1.
    static func clamped(_ p: Double) -> Double {
        guard p.isFinite else { return 0.5 }
        return min(1 - 1e-6, max(1e-6, p))
    }

    /// Fits each label's calibrator on its outcomes (`ModelCalibration.fit` on [1 − p, p]); a
    /// label whose fit fails (for instance one never "in") keeps its raw probabilities.
    public static func fit(_ outcomes: MultiLabelOutcomes, allowsEmptySet: Bool = true, seed: UInt64 = 0) -> MultiLabelCalibration {
        // Labels are fitted apart, so in parallel: 27 labels of 2,000 outcomes take one label's
        // cross-validation 27 times (13 s in a debug build on one core).
        let labelCount = outcomes.labels.count
        let fitted = Mutex([ModelCalibration?](repeating: nil, count: labelCount))
        DispatchQueue.concurrentPerform(iterations: labelCount) { label in
            let binary = outcomes.binary(label: label)
            var calibration = (try? ModelCalibration.fit(binary, seed: seed &+ UInt64(label)))
                ?? ModelCalibration(calibrator: .identity, verifiedOutcomes: binary.count, measuredAccuracy: binary.accuracy ?? 0)
            calibration.labelNames = ["out", "in"]
            fitted.withLock { $0[label] = calibration }
        }
        let perLabel = fitted.withLock { $0.map { $0 ?? .uncalibrated } }
        var calibration = MultiLabelCalibration(labelNames: outcomes.labels.names, perLabel: perLabel,
                                                verifiedOutcomes: outcomes.count, measuredAccuracy: 0)
        calibration.allowsEmptySet = allowsEmptySet
        if !outcomes.outcomes.isEmpty {
            let right = outcomes.outcomes.filter { calibration.calibratedSet($0.inProbabilities) == $0.truth }.count
            calibration.measuredAccuracy = Double(right) / Double(outcomes.count)
        }
        return calibration
    }

    /// Fits and stores the calibration of `model` from the project's decided multi-label items.
    @discardableResult
    public static func refit(store: any AnnotationStore, model: String, labels: LabelSet,
                             allowsEmptySet: Bool = true) throws -> MultiLabelCalibration {
        let calibration = fit(try MultiLabelOutcomes(store: store, model: model, labels: labels), allowsEmptySet: allowsEmptySet)
        let stored = try calibration.stored(model: model)
        try store.saveCalibration(model: model, calibratorJSON: stored.calibratorJSON,
                                  verifiedOutcomes: stored.verifiedOutcomes, measuredAccuracy: stored.measuredAccuracy)
        return calibration
    }

    /// The stored calibration of `model` when it is a multi-label one over `labels`; otherwise
    /// (none yet, a single-label one, other labels) every raw probability stands.
    public static func load(store: any AnnotationStore, model: String, labels: LabelSet) throws -> MultiLabelCalibration {
        guard let row = try store.calibration(model: model),
              let stored = MultiLabelCalibration(stored: StoredCalibration(model: model, calibratorJSON: row.calibratorJSON,
                                                                           verifiedOutcomes: row.verifiedOutcomes,
                                                                           measuredAccuracy: row.measuredAccuracy)),
              stored.labelNames == labels.names else { return .uncalibrated(labels: labels) }
        return stored
    }

    /// Each label's calibrated probability of being in the set (label-set order), bounded away
    /// from 0 and 1 by how many outcomes its calibrator rests on.
    public func calibratedInProbabilities(_ raw: [Double]) -> [Double] {
        raw.indices.map { index in
            guard perLabel.indices.contains(index) else { return raw[index] }
            let p = Self.clamped(raw[index])
            let top = perLabel[index].calibratedPrediction(probabilities: [1 - p, p])
            let inProbability = top.index == 1 ? top.confidence : 1 - top.confidence
            // Identity keeps the model's own value exactly (not the clamped one).
            return perLabel[index].calibrator == .identity ? raw[index] : inProbability
        }
    }

    /// The calibrated set at the 0.5 cut-off (its most probable label where it would be empty and
    /// empty sets are not allowed). Per-label cut-offs from `LabelThresholds` would maximise F1,
    /// not the chance that the set is right, which is what routing bounds.
    public func calibratedSet(_ raw: [Double]) -> Set<Int> {
        shownSet(calibratedInProbabilities(raw))
    }

    /// The set shown for calibrated per-label probabilities.
    public func shownSet(_ probabilities: [Double]) -> Set<Int> {
        let set = Set(probabilities.indices.filter { probabilities[$0] >= 0.5 })
        guard set.isEmpty, !allowsEmptySet, let top = probabilities.indices.max(by: { probabilities[$0] < probabilities[$1] }) else {
            return set
        }
        return [top]
    }

    /// How sure the set is: its least sure label's probability of being as shown (in: p, out:
    /// 1 − p). For the set at the cut-off this is `MultiLabelAnswer.settledness`.
    public static func confidence(of set: Set<Int>, probabilities: [Double]) -> Double {
        probabilities.indices.map { set.contains($0) ? probabilities[$0] : 1 - probabilities[$0] }.min() ?? 0
    }

    /// Whether `prediction` is a multi-label one: its label is a set (a JSON array).
    public static func isMultiLabel(_ prediction: Prediction) -> Bool {
        prediction.label?.hasPrefix("[") == true
    }

    /// The prediction with its calibrated per-label probabilities, the calibrated set as its
    /// shown label and the set's settledness (its least settled label's max(p, 1 − p)) as its
    /// confidence. An invalid prediction carries none; a set over other labels keeps its raw
    /// settledness and no calibrated probabilities.
    public func calibrated(_ prediction: Prediction) -> Prediction {
        var calibrated = prediction
        calibrated.calibratedLabel = nil
        calibrated.calibratedConfidence = nil
        calibrated.calibratedProbabilities = nil
        calibrated.shownSource = nil
        calibrated.alternative = nil
        guard prediction.isValid, let label = prediction.label else { return calibrated }
        let labels = self.labels
        guard !labelNames.isEmpty, MultiLabelAnswer.decode(label, labels: labels) != nil else {
            calibrated.calibratedConfidence = prediction.rawConfidence
            return calibrated
        }
        let probabilities = calibratedInProbabilities(labelNames.map { prediction.probabilities[$0] ?? 0 })
        let set = shownSet(probabilities)
        calibrated.calibratedProbabilities = Dictionary(uniqueKeysWithValues: zip(labelNames, probabilities))
        calibrated.calibratedLabel = MultiLabelAnswer(indices: set, labels: labels).encoded
        calibrated.calibratedConfidence = Self.confidence(of: set, probabilities: probabilities)
        return calibrated
    }

    /// What a routing pass stores for the prediction: the calibrated set, its settledness and
    /// the per-label probabilities.
    public func calibratedValue(_ prediction: Prediction) -> CalibratedValue? {
        let calibrated = self.calibrated(prediction)
        return calibrated.calibratedConfidence.map {
            CalibratedValue(label: calibrated.calibratedLabel, confidence: $0,
                            calibratedProbabilities: calibrated.calibratedProbabilities)
        }
    }

    /// What the router's hold (cold start, accuracy floor) reads: the set's evidence, no calibrator.
    public var routerCalibration: ModelCalibration {
        ModelCalibration(calibrator: .identity, verifiedOutcomes: verifiedOutcomes, measuredAccuracy: measuredAccuracy)
    }

    // MARK: Stored form

    private struct StoredForm: Codable {
        var task: String
        var labels: [String]
        var perLabel: [StoredLabel]
        /// Absent: empty sets allowed.
        var allowEmptySet: Bool?
    }

    private struct StoredLabel: Codable {
        var calibrator: Calibrator
        var verifiedOutcomes: Int
        var measuredAccuracy: Double
        var heldOutLogLoss: [String: Double]?
        var heldOutAccuracy: Double?
    }

    /// A stored calibration when it is a multi-label one; nil for a single-label calibration or
    /// JSON this annotty cannot read (the raw probabilities are then shown, never a guess).
    public init?(stored: StoredCalibration) {
        // Every single-label prediction saved asks: answer those without decoding.
        guard stored.calibratorJSON.contains("\"task\":\"multi\""),
              let form = try? JSONDecoder().decode(StoredForm.self, from: Data(stored.calibratorJSON.utf8)),
              form.task == TaskKind.multi.rawValue, form.labels.count == form.perLabel.count else { return nil }
        self.init(labelNames: form.labels, perLabel: form.perLabel.map { label in
            var calibration = ModelCalibration(calibrator: label.calibrator, verifiedOutcomes: label.verifiedOutcomes,
                                               measuredAccuracy: label.measuredAccuracy)
            calibration.heldOutLogLoss = label.heldOutLogLoss ?? [:]
            calibration.heldOutAccuracy = label.heldOutAccuracy
            calibration.labelNames = ["out", "in"]
            return calibration
        }, verifiedOutcomes: stored.verifiedOutcomes, measuredAccuracy: stored.measuredAccuracy)
        allowsEmptySet = form.allowEmptySet ?? true
    }

    /// This calibration in the form the store keeps.
    public func stored(model: String) throws -> StoredCalibration {
        let form = StoredForm(task: TaskKind.multi.rawValue, labels: labelNames, perLabel: perLabel.map { calibration in
            StoredLabel(calibrator: calibration.calibrator, verifiedOutcomes: calibration.verifiedOutcomes,
                        measuredAccuracy: calibration.measuredAccuracy,
                        heldOutLogLoss: calibration.heldOutLogLoss.isEmpty ? nil : calibration.heldOutLogLoss,
                        heldOutAccuracy: calibration.heldOutAccuracy)
        }, allowEmptySet: allowsEmptySet ? nil : false)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return StoredCalibration(model: model, calibratorJSON: String(decoding: try encoder.encode(form), as: UTF8.self),
                                 verifiedOutcomes: verifiedOutcomes, measuredAccuracy: measuredAccuracy)
    }
}
