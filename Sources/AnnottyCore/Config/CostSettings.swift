/// What labelling costs, for `annotty plan`: a person's label and a model's pre-label, in USD
/// per item (`[costs]` in annotty.toml; `plan --human-cost` and `--model-cost` override them).
public struct CostSettings: Sendable, Equatable {
    /// One person's label; nil when not set (`plan --budget` then asks for it).
    public var humanPerItem: Double?
    /// One item's pre-label; nil: the mean cost per call recorded so far (0 for a local model).
    public var llmPerItem: Double?

    public init(humanPerItem: Double? = nil, llmPerItem: Double? = nil) {
        self.humanPerItem = humanPerItem
        self.llmPerItem = llmPerItem
    }
}
