import Foundation

/// Everything in a project's annotty.toml.
public struct ProjectConfig: Sendable, Equatable {
    public var name: String
    public var labels: LabelSet
    /// Path of the guidelines Markdown, relative to the project folder.
    public var guidelines: String
    /// The field holding the text to label, for JSONL/CSV imports.
    public var textField: String
    /// Extra fields shown under the text (for example a hypothesis under a premise).
    public var displayFields: [String]
    public var llm = LLMSettings()
    public var routing = RoutingSettings()
    public var queue = QueueSettings()
    public var annotation = AnnotationSettings()
    public var costs = CostSettings()
    /// Key overrides: action name to the keys that trigger it (`accept = ["Enter", "Space"]`).
    public var keys: [String: [String]] = [:]

    public init(name: String, labels: LabelSet, guidelines: String = "", textField: String = "text",
                displayFields: [String] = []) {
        self.name = name
        self.labels = labels
        self.guidelines = guidelines
        self.textField = textField
        self.displayFields = displayFields
    }

    public static let fileName = "annotty.toml"

    public static func load(from url: URL) throws -> ProjectConfig {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InputError(file: url.path, message: "cannot read the config: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: url.path, message: "the config is not valid UTF-8")
        }
        return try parse(text, fileName: url.path)
    }

    public static func parse(_ text: String, fileName: String) throws -> ProjectConfig {
        let document = try ConfigFileParser(fileName: fileName).parse(text)
        try ConfigKeys.check(document, fileName: fileName)
        let reader = ConfigReader(fileName: fileName)
        let top = document.tables[""] ?? ConfigTable()
        var labels: [Label] = []
        for (index, table) in (document.arrays["labels"] ?? []).enumerated() {
            let name = try reader.requiredString(table, "name")
            let key = try reader.string(table, "key") ?? LabelSet.defaultKey(index: index)
            if labels.contains(where: { $0.name == name }) {
                throw InputError(file: fileName, line: table.lines["name"], message: "label \(name) is defined twice")
            }
            if !key.isEmpty, labels.contains(where: { $0.key == key }) {
                throw InputError(file: fileName, line: table.lines["key"], message: "key \(key) is used by two labels")
            }
            labels.append(Label(name: name, key: key, description: try reader.string(table, "description") ?? ""))
        }
        guard labels.count >= 2 else {
            throw InputError(file: fileName, message: "a project needs at least two [[labels]]")
        }
        var config = ProjectConfig(
            name: try reader.string(top, "name") ?? "annotty project",
            labels: LabelSet(labels),
            guidelines: try reader.string(top, "guidelines") ?? "",
            textField: try reader.string(top, "text_field") ?? "text",
            displayFields: try reader.strings(top, "display_fields") ?? [])

        if let table = document.tables["llm"] {
            var llm = LLMSettings()
            if let value = try reader.string(table, "provider") {
                guard let provider = LLMSettings.Provider(rawValue: value) else {
                    throw reader.invalid(table, "provider", "must be one of local, openai, none")
                }
                llm.provider = provider
            }
            llm.baseURL = try reader.string(table, "base_url") ?? llm.baseURL
            llm.model = try reader.string(table, "model") ?? llm.model
            llm.apiKeyEnv = try reader.string(table, "api_key_env") ?? llm.apiKeyEnv
            if let value = try reader.string(table, "confidence") {
                guard let method = LLMSettings.ConfidenceMethod(rawValue: value) else {
                    throw reader.invalid(table, "confidence", "must be one of logprobs, stated, samples")
                }
                llm.confidence = method
            }
            llm.samples = try reader.int(table, "samples", range: 1...50) ?? llm.samples
            llm.temperature = try reader.double(table, "temperature", range: 0...2) ?? llm.temperature
            llm.maxConcurrency = try reader.int(table, "max_concurrency", range: 1...256) ?? llm.maxConcurrency
            llm.prefetchAhead = try reader.int(table, "prefetch_ahead", range: 0...1000) ?? llm.prefetchAhead
            llm.demonstrations = try reader.int(table, "demonstrations", range: 0...50) ?? llm.demonstrations
            llm.connectTimeoutSeconds = try reader.double(table, "connect_timeout_s", range: 0.1...600) ?? llm.connectTimeoutSeconds
            llm.idleTimeoutSeconds = try reader.double(table, "idle_timeout_s", range: 0.1...600) ?? llm.idleTimeoutSeconds
            llm.totalTimeoutSeconds = try reader.double(table, "total_timeout_s", range: 0.1...3600) ?? llm.totalTimeoutSeconds
            llm.maxRetries = try reader.int(table, "max_retries", range: 0...20) ?? llm.maxRetries
            llm.pricePerMillionInputTokens = try reader.double(table, "price_per_million_input_tokens", range: 0...10_000) ?? 0
            llm.pricePerMillionOutputTokens = try reader.double(table, "price_per_million_output_tokens", range: 0...10_000) ?? 0
            llm.localModelPath = try reader.string(table, "local_model_path") ?? ""
            llm.localThreads = try reader.int(table, "local_threads", range: 1...256) ?? llm.localThreads
            llm.localParallel = try reader.int(table, "local_parallel", range: 1...64) ?? llm.localParallel
            config.llm = llm
        }
        if let table = document.tables["routing"] {
            var routing = RoutingSettings()
            routing.autoAccept = try reader.double(table, "auto_accept", range: 0...1.000001) ?? routing.autoAccept
            routing.review = try reader.double(table, "review", range: 0...1) ?? routing.review
            routing.minVerifiedOutcomes = try reader.int(table, "min_verified_outcomes", range: 0...1_000_000) ?? routing.minVerifiedOutcomes
            routing.accuracyFloor = try reader.double(table, "accuracy_floor", range: 0...1) ?? routing.accuracyFloor
            routing.auditTargetErrorRate = try reader.double(table, "audit_target_error_rate", range: 0...1) ?? routing.auditTargetErrorRate
            routing.autoAcceptTargetError = try reader.double(table, "auto_accept_target_error", range: 0.0001...0.5)
            if routing.review > routing.autoAccept {
                throw reader.invalid(table, "review", "must not be above auto_accept")
            }
            config.routing = routing
        }
        if let table = document.tables["routing.auto_accept_per_label"] {
            for (label, _) in table.values {
                guard config.labels.contains(label) else {
                    throw reader.invalid(table, label, "is not one of the project's labels")
                }
                config.routing.autoAcceptPerLabel[label] = try reader.double(table, label, range: 0...1.000001)
            }
        }
        if let table = document.tables["queue"] {
            var queue = QueueSettings()
            queue.strategy = try reader.string(table, "strategy") ?? queue.strategy
            queue.randomShare = try reader.double(table, "random_share", range: 0...1) ?? queue.randomShare
            queue.rerankEvery = try reader.int(table, "rerank_every", range: 1...10_000) ?? queue.rerankEvery
            queue.trainOnAutoAccepted = try reader.bool(table, "train_on_auto_accepted") ?? queue.trainOnAutoAccepted
            queue.uncertaintyWeight = try reader.double(table, "uncertainty_weight", range: 0...100)
            queue.densityWeight = try reader.double(table, "density_weight", range: 0...100)
            queue.diversityWeight = try reader.double(table, "diversity_weight", range: 0...100)
            queue.disagreementWeight = try reader.double(table, "disagreement_weight", range: 0...100)
            queue.duplicateSimilarity = try reader.double(table, "duplicate_similarity", range: 0...1)
            let strategies = SelectionStrategy.presets.map(\.name)
            guard strategies.contains(queue.strategy) else {
                throw reader.invalid(table, "strategy", "must be one of " + strategies.joined(separator: ", "))
            }
            config.queue = queue
        }
        if let table = document.tables["annotation"] {
            var annotation = AnnotationSettings()
            annotation.overlap = try reader.int(table, "overlap", range: 1...100) ?? annotation.overlap
            annotation.maxOverlap = try reader.int(table, "max_overlap", range: 1...100) ?? annotation.overlap
            annotation.goldenRate = try reader.double(table, "golden_rate", range: 0...1) ?? annotation.goldenRate
            annotation.leaseSeconds = try reader.int(table, "lease_seconds", range: 1...86_400) ?? annotation.leaseSeconds
            if annotation.maxOverlap < annotation.overlap {
                throw reader.invalid(table, "max_overlap", "must be at least overlap")
            }
            config.annotation = annotation
        }
        if let table = document.tables["costs"] {
            config.costs.humanPerItem = try reader.double(table, "human_per_item", range: 0...1_000_000)
            config.costs.llmPerItem = try reader.double(table, "llm_per_item", range: 0...1_000_000)
        }
        if let table = document.tables["keys"] {
            for (action, _) in table.values {
                config.keys[action] = try reader.strings(table, action)
            }
        }
        return config
    }
}

/// Typed reads from a config table, each failure naming the file and line.
struct ConfigReader {
    let fileName: String

    func invalid(_ table: ConfigTable, _ key: String, _ message: String) -> InputError {
        InputError(file: fileName, line: table.lines[key] ?? table.headerLine, message: "\(key) \(message)")
    }

    func string(_ table: ConfigTable, _ key: String) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.stringValue else { throw invalid(table, key, "must be a quoted string") }
        return string
    }

    func requiredString(_ table: ConfigTable, _ key: String) throws -> String {
        guard let value = try string(table, key) else {
            throw InputError(file: fileName, line: table.headerLine, message: "missing \(key)")
        }
        return value
    }

    func strings(_ table: ConfigTable, _ key: String) throws -> [String]? {
        guard let value = table[key] else { return nil }
        if let single = value.stringValue { return [single] }
        guard let array = value.arrayValue else { throw invalid(table, key, "must be a list of strings") }
        return try array.map {
            guard let string = $0.stringValue else { throw invalid(table, key, "must be a list of strings") }
            return string
        }
    }

    func double(_ table: ConfigTable, _ key: String, range: ClosedRange<Double>) throws -> Double? {
        guard let value = table[key] else { return nil }
        guard let number = value.doubleValue else { throw invalid(table, key, "must be a number") }
        guard range.contains(number) else {
            throw invalid(table, key, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    func int(_ table: ConfigTable, _ key: String, range: ClosedRange<Int>) throws -> Int? {
        guard let value = table[key] else { return nil }
        guard let number = value.intValue else { throw invalid(table, key, "must be a whole number") }
        guard range.contains(number) else {
            throw invalid(table, key, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    func bool(_ table: ConfigTable, _ key: String) throws -> Bool? {
        guard let value = table[key] else { return nil }
        guard let flag = value.boolValue else { throw invalid(table, key, "must be true or false") }
        return flag
    }
}
