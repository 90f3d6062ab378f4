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
    /// Weights of the hybrid and disagreement scores; nil keeps the strategy's own default
    /// (the one measured best on TREC-6, docs/active-learning.md).
    public var uncertaintyWeight: Double?
    public var densityWeight: Double?
    public var diversityWeight: Double?
    public var disagreementWeight: Double?
    /// Batch items at least this cosine-similar to an earlier pick are left out (1: off).
    public var duplicateSimilarity: Double?
    /// Salts the items' folds for the task learner's out-of-fold opinions, the router's evidence
    /// (`StableFolds`); nil is 0. A replay's `--seed` sets it in its project, so that `annotty plan`
    /// on that project, or on its halfway copy, reads the folds the replay's loop read.
    public var foldSeed: Int?

    /// `foldSeed` as the folds' salt.
    public var foldSalt: UInt64 { UInt64(max(0, foldSeed ?? 0)) }

    public init() {}
}
