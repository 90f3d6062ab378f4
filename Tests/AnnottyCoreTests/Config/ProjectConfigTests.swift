import AnnottyCore
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
        let text = ConfigTemplate.render(config)
        let parsed = try ProjectConfig.parse(text, fileName: "annotty.toml")
        #expect(parsed == config)
        #expect(text.contains("# The NAME of the environment variable holding the API key"))
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
