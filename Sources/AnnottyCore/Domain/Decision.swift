import Foundation

/// What a decision row records. Rows are only ever appended.
public enum DecisionKind: String, Sendable, Codable, CaseIterable {
    /// A person accepted the shown pre-label.
    case accept
    /// A person chose a label other than the pre-label (or labelled with no pre-label).
    case correct
    case skip
    /// The router accepted a confident prediction without a person.
    case auto
    /// A person confirmed or corrected an auto-accepted label in an audit.
    case audit
    /// Cancels an earlier decision (named by `undoesDecisionId`).
    case undo
    /// A person flagged the item, with an optional note; it carries no label.
    case flag
    /// A reviewer's final word on a disagreement.
    case adjudicate
    /// A label brought in from elsewhere (`import-annotations`).
    case imported

    /// Kinds that give the item a label.
    public var carriesLabel: Bool {
        switch self {
        case .accept, .correct, .auto, .audit, .adjudicate, .imported: return true
        case .skip, .undo, .flag: return false
        }
    }

    /// Kinds made by a person looking at the item (counted for throughput and agreement).
    public var isHuman: Bool {
        switch self {
        case .accept, .correct, .audit, .adjudicate, .skip, .flag: return true
        case .auto, .undo, .imported: return false
        }
    }
}

/// One append-only row of the decisions log.
public struct Decision: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var itemId: Int64
    public var annotator: String
    public var kind: DecisionKind
    public var label: String?
    /// The pre-label on screen when the decision was made, and its confidence and source.
    public var shownLabel: String?
    public var shownConfidence: Double?
    public var shownSource: PredictionSource?
    public var predictionId: Int64?
    public var timeSpentMs: Int
    public var note: String?
    public var undoesDecisionId: Int64?
    public var createdAt: Date

    public init(id: Int64 = 0, itemId: Int64, annotator: String, kind: DecisionKind, label: String? = nil,
                shownLabel: String? = nil, shownConfidence: Double? = nil, shownSource: PredictionSource? = nil,
                predictionId: Int64? = nil, timeSpentMs: Int = 0, note: String? = nil,
                undoesDecisionId: Int64? = nil, createdAt: Date = Date()) {
        self.id = id
        self.itemId = itemId
        self.annotator = annotator
        self.kind = kind
        self.label = label
        self.shownLabel = shownLabel
        self.shownConfidence = shownConfidence
        self.shownSource = shownSource
        self.predictionId = predictionId
        self.timeSpentMs = timeSpentMs
        self.note = note
        self.undoesDecisionId = undoesDecisionId
        self.createdAt = createdAt
    }
}
