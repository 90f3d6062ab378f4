import AnnottyCore

/// AnnottyLLM: OpenAI-compatible clients over libcurl, prompts, label scoring, the prefetcher
/// and the local model server launcher.
public enum AnnottyLLM {}
