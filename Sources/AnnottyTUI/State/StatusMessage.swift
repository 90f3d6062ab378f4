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
    case nothingToLabel
    case unboundKey(KeyPress)
    case storeFailed(String)
    /// Work behind the screen (retraining, re-ranking, routing) failed; decisions still save.
    case backgroundFailed(String)
}
