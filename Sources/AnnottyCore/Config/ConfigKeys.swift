/// Every section and key annotty.toml may hold. A key or section not listed here is an error
/// naming its file and line and the nearest known name, so a misspelt setting (`auto_acept`)
/// cannot be silently ignored. The template (`ConfigTemplate`) is checked against this list by
/// tests, so the two cannot drift apart.
public enum ConfigKeys {
    /// Keys of each `[section]`; nil where the keys are free (label names, key actions).
    public static let sections: [String: [String]?] = [
        "": ["name", "guidelines", "text_field", "display_fields"],
        "llm": ["provider", "base_url", "model", "api_key_env", "confidence", "samples", "temperature",
                "max_concurrency", "prefetch_ahead", "demonstrations", "connect_timeout_s", "idle_timeout_s",
                "total_timeout_s", "max_retries", "price_per_million_input_tokens",
                "price_per_million_output_tokens", "local_model_path", "local_threads", "local_parallel"],
        "routing": ["auto_accept", "review", "min_verified_outcomes", "accuracy_floor", "audit_target_error_rate",
                    "auto_accept_target_error"],
        "routing.auto_accept_per_label": nil,
        "queue": ["strategy", "random_share", "rerank_every", "train_on_auto_accepted", "uncertainty_weight",
                  "density_weight", "diversity_weight", "disagreement_weight", "duplicate_similarity"],
        "annotation": ["overlap", "max_overlap", "golden_rate", "lease_seconds"],
        "costs": ["human_per_item", "llm_per_item"],
        "keys": nil,
    ]

    /// Keys of each `[[array]]` entry.
    public static let arrays: [String: [String]] = [
        "labels": ["name", "key", "description"],
    ]

    /// Throws for the first unknown section or key, in file order.
    static func check(_ document: ConfigFileParser.Document, fileName: String) throws {
        var problems: [InputError] = []
        for (name, table) in document.tables {
            guard let known = sections[name] else {
                let hint = suggestion(for: name, among: Array(sections.keys.filter { !$0.isEmpty }) + Array(arrays.keys))
                problems.append(InputError(file: fileName, line: table.headerLine,
                                           message: "unknown section [\(name)]" + hint))
                continue
            }
            if let known { problems += unknownKeys(table, known: known, where: name.isEmpty ? "at the top" : "in [\(name)]", fileName: fileName) }
        }
        for (name, tables) in document.arrays {
            guard let known = arrays[name] else {
                let hint = suggestion(for: name, among: Array(arrays.keys) + Array(sections.keys.filter { !$0.isEmpty }))
                problems.append(InputError(file: fileName, line: tables.first?.headerLine, message: "unknown section [[\(name)]]" + hint))
                continue
            }
            for table in tables { problems += unknownKeys(table, known: known, where: "in [[\(name)]]", fileName: fileName) }
        }
        if let first = problems.min(by: { ($0.line ?? 0) < ($1.line ?? 0) }) { throw first }
    }

    static func unknownKeys(_ table: ConfigTable, known: [String], where place: String, fileName: String) -> [InputError] {
        table.values.keys.filter { !known.contains($0) }.map { key in
            InputError(file: fileName, line: table.lines[key] ?? table.headerLine,
                       message: "unknown key \(key) \(place)" + suggestion(for: key, among: known))
        }
    }

    /// "; did you mean X?" for the nearest name within a few edits, else the list of known names.
    static func suggestion(for name: String, among known: [String]) -> String {
        let scored = known.map { ($0, editDistance(name, $0)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        if let best = scored.first, best.1 <= max(2, name.count / 3) { return "; did you mean \(best.0)?" }
        return "; known here: " + known.sorted().joined(separator: ", ")
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
