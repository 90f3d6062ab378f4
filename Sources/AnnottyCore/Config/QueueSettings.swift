/// How the active-learning selector orders what goes to people.
public struct QueueSettings: Sendable, Equatable {
    /// random, least-confidence, margin, entropy, diversity, hybrid, disagreement.
    public var strategy: String = "hybrid"
    /// Share of each batch picked at random, which keeps the learner's view unbiased.
    public var randomShare: Double = 0
    /// Re-rank in the background after this many decisions.
    public var rerankEvery: Int = 5
    /// Whether the task learner also trains on auto-accepted labels.
    public var trainOnAutoAccepted: Bool = false

    public init() {}
}
