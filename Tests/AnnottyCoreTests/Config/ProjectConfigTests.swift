import AnnottyCore
import Foundation
import Testing

@Suite struct ProjectConfigTests {
    @Test func templateParsesBackToTheSameConfig() throws {
        var config = ProjectConfig(name: "Reviews \"2026\"", labels: LabelSet(names: ["positive", "negative", "neutral"]),
                                   guidelines: "../guidelines/sentiment.md", displayFields: ["product"])
        config.llm.provider = .openai
        config.llm.baseURL = "http://127.0.0.1:9/v1"
        config.routing.autoAccept = 0.97
        config.annotation.overlap = 2
        config.annotation.maxOverlap = 4
        config.keys = ["skip": ["s", "Tab"]]
        config.queue.diversityWeight = 0.3
        config.queue.duplicateSimilarity = 0.8
        config.costs.humanPerItem = 0.1
        let text = ConfigTemplate.render(config)
        let parsed = try ProjectConfig.parse(text, fileName: "annotty.toml")
        #expect(parsed == config)
        #expect(text.contains("# The NAME of the environment variable holding the API key"))
        #expect(text.contains("human_per_item = 0.1\n# llm_per_item = 0.005\n"))
        #expect(parsed.costs == CostSettings(humanPerItem: 0.1, llmPerItem: nil))
    }

    @Test func aMisspeltKeyIsAnErrorNamingTheLineAndTheNearestKey() throws {
        let text = "name = \"x\"\n[[labels]]\nname = \"a\"\n[[labels]]\nname = \"b\"\n[routing]\nreview = 0.5\nauto_acept = 0.95\n"
        #expect(throws: InputError(file: "p/annotty.toml", line: 8,
                                   message: "unknown key auto_acept in [routing]; did you mean auto_accept?")) {
            try ProjectConfig.parse(text, fileName: "p/annotty.toml")
        }
        #expect(throws: InputError(file: "t", line: 6, message: "unknown section [routin]; did you mean routing?")) {
            try ProjectConfig.parse("[[labels]]\nname = \"a\"\n[[labels]]\nname = \"b\"\n\n[routin]\nreview = 0.5\n", fileName: "t")
        }
        #expect(throws: InputError(file: "t", line: 1, message: "unknown key nmae at the top; did you mean name?")) {
            try ProjectConfig.parse("nmae = \"x\"\n[[labels]]\nname = \"a\"\n[[labels]]\nname = \"b\"\n", fileName: "t")
        }
        #expect(throws: InputError(file: "t", line: 3, message: "unknown key colour in [[labels]]; known here: description, key, name")) {
            try ProjectConfig.parse("[[labels]]\nname = \"a\"\ncolour = \"red\"\n[[labels]]\nname = \"b\"\n", fileName: "t")
        }
    }

    /// The commented template names every key the parser accepts, and nothing else.
    @Test func theTemplateAndTheKnownKeysAgree() throws {
        let text = ConfigTemplate.render(ProjectConfig(name: "x", labels: LabelSet(names: ["a", "b"])))
        var section = ""
        var mentioned: [String: Set<String>] = [:]
        for raw in text.split(separator: "\n") {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                section = line.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                continue
            }
            if line.hasPrefix("# ") { line.removeFirst(2) }
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            if !key.isEmpty, !key.contains(" ") { mentioned[section, default: []].insert(key) }
        }
        for (name, keys) in ConfigKeys.sections {
            guard let keys else { continue }
            #expect(Set(keys).isSubset(of: mentioned[name] ?? []), "[\(name)] keys missing from the template: \(Set(keys).subtracting(mentioned[name] ?? []))")
        }
        for (name, keys) in mentioned where ConfigKeys.sections[name] != nil {
            guard let known = ConfigKeys.sections[name]!, name != "labels" else { continue }
            #expect(keys.isSubset(of: Set(known)), "[\(name)] template keys the parser rejects: \(keys.subtracting(known))")
        }
        for name in SelectionStrategy.presets.map(\.name) { #expect(text.contains(name)) }
    }

    @Test func aBadValueNamesTheFileAndLine() throws {
        let text = """
        name = "x"
        [[labels]]
        name = "a"
        [[labels]]
        name = "b"
        [routing]
        auto_accept = "high"
        """
        #expect(throws: InputError(file: "p/annotty.toml", line: 7, message: "auto_accept must be a number")) {
            try ProjectConfig.parse(text, fileName: "p/annotty.toml")
        }
    }

    @Test func duplicateLabelKeysAreRejected() throws {
        let text = "[[labels]]\nname = \"a\"\nkey = \"1\"\n[[labels]]\nname = \"b\"\nkey = \"1\"\n"
        #expect(throws: InputError(file: "c", line: 6, message: "key 1 is used by two labels")) {
            try ProjectConfig.parse(text, fileName: "c")
        }
    }

    @Test func defaultKeysSkipCommandLetters() {
        let keys = (0..<14).map(LabelSet.defaultKey(index:))
        #expect(keys == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e"])
        #expect(keys.allSatisfy { !LabelSet.reservedKeys.contains(Character($0)) })
    }

    @Test func guidelinesSectionsGiveDefinitionsAndExamples() {
        let markdown = """
        # Sentiment
        Intro.
        ## positive
        **Definition:** The reviewer is pleased.

        **Examples:**
        - Love it.
        - Works great.

        **Edge cases:**
        - not an example
        ## General edge cases
        - nothing
        """
        let guidelines = Guidelines(markdown: markdown, labels: LabelSet(names: ["positive", "negative"]))
        #expect(guidelines.title == "Sentiment")
        #expect(guidelines.section(for: "positive")?.definition == "The reviewer is pleased.")
        #expect(guidelines.examples.map(\.text) == ["Love it.", "Works great."])
        #expect(guidelines.section(for: "negative") == nil)
    }
}
