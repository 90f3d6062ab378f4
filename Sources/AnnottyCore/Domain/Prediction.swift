import Foundation

/// Where a pre-label came from.
public enum PredictionSource: String, Sendable, Codable, CaseIterable {
    case llm
    case learner
    /// The LLM and the task learner agree on the label.
    case both
    case imported

    /// How a decision records what its pre-label rested on.
    public init(_ source: CombinedPrelabel.Source) {
        switch source {
        case .llm: self = .llm
        case .learner: self = .learner
        case .combined: self = .both
        }
    }
}

/// One model's answer for one item: a probability for every label, or an error.
public struct Prediction: Sendable, Hashable {
    public var id: Int64
    public var itemId: Int64
    public var model: String
    public var source: PredictionSource
    /// The predicted label, nil when the answer was invalid or the call failed.
    public var label: String?
    /// Probability per label name, summing to 1 over the label set when valid.
    public var probabilities: [String: Double]
    /// Calibrated confidence of `shownLabel`, set by the store from the stored calibration.
    public var calibratedConfidence: Double?
    /// The label a calibrator over the whole vector, or the LLM and the task learner combined,
    /// put first, when it differs from `label`.
    public var calibratedLabel: String?
    /// What the shown label and confidence rest on (nil: the model's calibrated opinion alone).
    public var shownSource: CombinedPrelabel.Source?
    /// The other opinion, when the LLM and the task learner name different labels: what one key takes.
    public var alternative: PrelabelOpinion?
    /// False for an answer outside the label set or a failed call: never shown as a pre-label.
    public var isValid: Bool
    public var error: String?
    /// The model's raw answer text, kept for diagnosis (never drawn unescaped).
    public var rawAnswer: String?
    public var promptHash: String
    public var latencyMs: Double
    public var tokensIn: Int
    public var tokensOut: Int
    public var costUSD: Double
    public var createdAt: Date
    /// Multi-label: each label's calibrated probability of being in the set (nil: not calibrated;
    /// `probabilities` then holds the raw ones). Single-label predictions leave it nil.
    public var calibratedProbabilities: [String: Double]? = nil

    public init(id: Int64 = 0, itemId: Int64, model: String, source: PredictionSource = .llm,
                label: String?, probabilities: [String: Double], calibratedConfidence: Double? = nil,
                calibratedLabel: String? = nil, shownSource: CombinedPrelabel.Source? = nil,
                alternative: PrelabelOpinion? = nil, isValid: Bool = true, error: String? = nil, rawAnswer: String? = nil,
                promptHash: String = "", latencyMs: Double = 0, tokensIn: Int = 0, tokensOut: Int = 0,
                costUSD: Double = 0, createdAt: Date = Date()) {
        self.id = id
        self.itemId = itemId
        self.model = model
        self.source = source
        self.label = label
        self.probabilities = probabilities
        self.calibratedConfidence = calibratedConfidence
        self.calibratedLabel = calibratedLabel
        self.shownSource = shownSource
        self.alternative = alternative
        self.isValid = isValid
        self.error = error
        self.rawAnswer = rawAnswer
        self.promptHash = promptHash
        self.latencyMs = latencyMs
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.costUSD = costUSD
        self.createdAt = createdAt
    }

    /// The label to show, accept with Enter and route on: the calibrated one when a calibrator
    /// over the whole vector moved it, else the model's.
    public var shownLabel: String? {
        calibratedLabel ?? label
    }

    /// The raw probability of the predicted label.
    public var rawConfidence: Double? {
        guard let label else { return nil }
        if let probability = probabilities[label] { return probability }
        // A multi-label prediction: its label is a set, its probabilities one per label of being
        // in it, and its confidence how settled the least settled label is.
        // A span prediction: its label is a span set (`SpanAnnotation.label(for:)`), its
        // probabilities each proposed span's confidence by `SpanKey.text` (and whatever else the
        // scorer rests the whole set on), its confidence the least sure of them; with none, no
        // confidence: an empty proposal is never auto-accepted on faith.
        if label.hasPrefix("spans:") { return probabilities.values.min() }
        guard label.hasPrefix("["), !probabilities.isEmpty else { return nil }
        return MultiLabelAnswer.settledness(Array(probabilities.values))
    }

    /// The confidence to show and route on. The store calibrates every prediction it saves
    /// (`ModelCalibration.calibrated`); the raw confidence stands in only for one never stored.
    public var confidence: Double? {
        calibratedConfidence ?? rawConfidence
    }

    /// Multi-label: each label's probability of being in the set, in label-set order, calibrated
    /// where the store calibrated it.
    public func inProbabilities(over labels: LabelSet) -> [Double] {
        let source = calibratedProbabilities ?? probabilities
        return labels.names.map { source[$0] ?? 0 }
    }

    /// Multi-label: the set to show and accept with Enter (nil when the label is not a set of `labels`).
    public func shownSet(over labels: LabelSet) -> MultiLabelAnswer? {
        shownLabel.flatMap { MultiLabelAnswer.decode($0, labels: labels) }
    }

    /// Spans: the proposed spans (`label` names them; their text is taken from `text`, the item's)
    /// with each one's confidence; nil when the label is not a span set or a span is off the text.
    public func proposedSpans(in text: String) -> [(span: EntitySpan, confidence: Double)]? {
        guard let label = shownLabel, let keys = SpanAnnotation.keys(inLabel: label) else { return nil }
        let scalars = ScalarText(text)
        var proposed: [(span: EntitySpan, confidence: Double)] = []
        for key in keys {
            guard let covered = scalars.slice(key.start, key.end) else { return nil }
            proposed.append((EntitySpan(start: key.start, end: key.end, type: key.type, text: covered), probabilities[key.text] ?? 0))
        }
        return proposed
    }

    /// Probabilities in label-set order (missing labels are 0).
    public func vector(over labels: LabelSet) -> [Double] {
        labels.names.map { probabilities[$0] ?? 0 }
    }
}

/// One source's label and confidence for an item, as the screen offers it when the sources disagree.
public struct PrelabelOpinion: Sendable, Hashable {
    public var label: String
    public var confidence: Double
    /// Whose opinion: the LLM's or the task learner's.
    public var source: CombinedPrelabel.Source

    public init(label: String, confidence: Double, source: CombinedPrelabel.Source) {
        self.label = label
        self.confidence = confidence
        self.source = source
    }
}
