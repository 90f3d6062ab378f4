import AnnottyCore

/// What a session is for. The screen and keys are the same; what a decision records differs.
public enum LabelingMode: String, Sendable, Equatable {
    /// Label the queue: accept or correct pre-labels.
    case label
    /// Check auto-accepted labels: the label is shown without its confidence; confirming or
    /// correcting records an `audit` decision.
    case audit
    /// Settle disagreements: everyone's label is shown; the chosen label is an `adjudicate` decision.
    case review
}

/// What stays fixed for a labeling session: who labels, with which labels, keys and guidelines.
public struct LabelingSetup: Sendable, Equatable {
    public var projectName: String
    public var annotator: String
    public var labels: LabelSet
    public var keymap: Keymap
    public var guidelines: Guidelines
    /// The name of the item's main text field, shown as its heading when the item has other fields.
    public var textFieldName: String
    /// How many items to keep claimed beyond the one on screen.
    public var lookahead: Int
    public var mode: LabelingMode
    /// How many items a listed session (an audit sample, the disagreements to review) holds, for
    /// "left" on its status line; nil for the queue, whose "left" comes from the store.
    public var listedItemCount: Int?
    /// What Enter accepts, for the help overlay, where the mode's own wording does not fit (a
    /// review of likely label errors suggests the likelier label, not the aggregate).
    public var acceptHelp: String?
    /// What an answer is: one label (a label key decides the item) or a set of labels (label keys
    /// toggle, Enter commits the set).
    public var task: TaskKind
    /// Multi-label: whether Enter may commit an empty set.
    public var allowEmptySet: Bool

    public init(projectName: String, annotator: String, labels: LabelSet, keymap: Keymap,
                guidelines: Guidelines? = nil, textFieldName: String = "text", lookahead: Int = 8,
                mode: LabelingMode = .label, listedItemCount: Int? = nil, task: TaskKind = .single,
                allowEmptySet: Bool = true) {
        self.projectName = projectName
        self.annotator = annotator
        self.labels = labels
        self.keymap = keymap
        self.guidelines = guidelines ?? Guidelines(markdown: "", labels: labels)
        self.textFieldName = textFieldName
        self.lookahead = max(1, lookahead)
        self.mode = mode
        self.listedItemCount = listedItemCount
        self.task = task
        self.allowEmptySet = allowEmptySet
    }

    /// Label keys toggle a set that Enter commits.
    public var isMultiLabel: Bool { task == .multi }

    /// Entity spans: a word cursor and type keys edit the item's spans; Enter commits them.
    public var isSpans: Bool { task == .spans }

    /// The label's definition from the guidelines, else its description from the config.
    public func definition(of label: Label) -> String {
        if let definition = guidelines.section(for: label.name)?.definition, !definition.isEmpty { return definition }
        return label.description
    }
}
