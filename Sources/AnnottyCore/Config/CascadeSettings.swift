/// A stronger, dearer model behind the project's `[llm]` one (`[cascade]` in annotty.toml): the
/// cheap tiers (the task learner and the `[llm]` model) pre-label every item, and an item goes to
/// this tier only while their pooled calibrated confidence is below `escalate_below` or they
/// disagree, front of the queue first.
public struct CascadeSettings: Sendable, Equatable {
    /// The stronger tier's model; empty: no cascade.
    public var model = ""
    public var provider: LLMSettings.Provider = .openai
    /// Empty: the `[llm]` base URL.
    public var baseURL = ""
    /// Empty: the `[llm]` variable.
    public var apiKeyEnv = ""
    public var escalateBelow = 0.9
    /// The most items sent to the stronger tier per learning cycle.
    public var maxPerCycle = 10
    /// From this many items labelled by people on, `taperedMaxPerCycle` a cycle instead (0: never):
    /// the stronger tier asked freely while the task learner is young, sparingly after.
    public var taperAfterLabels = 0
    public var taperedMaxPerCycle = 2
    public var pricePerMillionInputTokens = 0.0
    public var pricePerMillionOutputTokens = 0.0

    public init() {}

    public var isEnabled: Bool { !model.isEmpty }

    /// The stronger tier's LLM settings: the project's `[llm]` with this tier's in their place.
    public func settings(over llm: LLMSettings) -> LLMSettings {
        var tier = llm
        tier.model = model
        tier.provider = provider
        if !baseURL.isEmpty { tier.baseURL = baseURL }
        if !apiKeyEnv.isEmpty { tier.apiKeyEnv = apiKeyEnv }
        tier.pricePerMillionInputTokens = pricePerMillionInputTokens
        tier.pricePerMillionOutputTokens = pricePerMillionOutputTokens
        return tier
    }
}
