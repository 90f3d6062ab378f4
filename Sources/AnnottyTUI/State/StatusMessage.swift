import AnnottyCore

/// The line under the labels that says what just happened.
public enum StatusMessage: Sendable, Equatable {
    /// A decision was saved. `prelabel` is the label that was suggested, if any.
    case saved(itemId: Int64, kind: DecisionKind, label: String?, prelabel: String?)
    case undid(itemId: Int64, kind: DecisionKind, label: String?)
    case nothingToUndo
    case noPrelabel
    /// The other-opinion key with only one opinion on screen, or both agreeing.
    case noOtherOpinion
    /// The pre-label was rejected; the annotator picks the right label.
    case prelabelRejected(label: String)
    /// The rejection of the pre-label was taken back.
    case rejectionWithdrawn(label: String)
    /// Accept was pressed on a rejected pre-label.
    case acceptAfterReject(label: String)
    /// Reject was pressed with no pre-label on screen.
    case noPrelabelToReject
    case nothingToLabel
    case unboundKey(KeyPress)
    case storeFailed(String)
    /// The database is unreachable: the decision on screen is kept and saved when it is back.
    case waitingForDatabase(String)
    /// Multi-label: a label key ticked (`isIn`) or unticked a label; `selection` is the set now.
    case toggled(label: String, isIn: Bool, selection: [String])
    /// Multi-label: undo reverted the latest toggle on the item on screen.
    case toggleReverted(label: String, isIn: Bool, selection: [String])
    /// Multi-label: Enter on an empty set where the project needs at least one label.
    case emptySetRefused
    /// Multi-label: a key that only means something with one label per item (other opinion, reject).
    case singleLabelOnly(KeyAction)
    /// Entity spans: what a span key did ("accepted: PER \"Ada\""), or, as a warning, why it did nothing.
    case spanEdited(String)
    case spanHint(String)
    /// Work behind the screen (retraining, re-ranking, routing) failed; decisions still save.
    case backgroundFailed(String)
}
