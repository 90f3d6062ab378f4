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
    public var cascade = CascadeSettings()
    /// Where the database is: SQLite in the folder, or PostgreSQL (`[store]`).
    public var store = StoreSettings()
    /// One label, a set of labels, or entity spans per item.
    public var task: TaskKind = .single
    /// A multi-label item may be answered with no label at all.
    public var allowEmptySet = true
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
        var config = ProjectConfig(name: ConfigSchema.defaults.name, labels: LabelSet(labels))
        // Every other key, its default, its parse and its checks: one table (ConfigSchema).
        try ConfigSchema.read(document, into: &config, reader: reader)
        if config.task == .spans {
            // A span set is stored as `spans:0-5:PER,10-15:LOC`: its types must not hold the separators.
            for (index, table) in (document.arrays["labels"] ?? []).enumerated()
            where config.labels.labels[index].name.contains(where: { $0 == "," || $0 == ":" || $0.isWhitespace }) {
                throw InputError(file: fileName, line: table.lines["name"],
                                 message: "a spans project's label (an entity type) must not contain a comma, a colon or a space: "
                                     + "\(config.labels.labels[index].name)")
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
