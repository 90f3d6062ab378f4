import Testing
import AnnottyCore
@testable import AnnottyTUI

@Suite struct KeymapTests {
    @Test func defaultKeysDispatchActionsAndLabels() throws {
        let keymap = try Keymap(labels: Fixtures.sentimentLabels)
        #expect(keymap.command(for: .enter) == .action(.accept))
        #expect(keymap.command(for: .character(" ")) == .action(.accept))
        #expect(keymap.command(for: .character("s")) == .action(.skip))
        #expect(keymap.command(for: .character("u")) == .action(.undo))
        #expect(keymap.command(for: .character("?")) == .action(.help))
        #expect(keymap.command(for: .character("2")) == .label("negative"))
        #expect(keymap.command(for: .character("x")) == nil)
    }

    /// `[keys] preset = "prodigy"` in annotty.toml: a accepts, Space skips, Backspace undoes.
    @Test func theProdigyPresetIsOneLineOfConfig() throws {
        let toml = "[[labels]]\nname = \"positive\"\n[[labels]]\nname = \"negative\"\n[keys]\npreset = \"prodigy\"\n"
        let config = try ProjectConfig.parse(toml, fileName: "annotty.toml")
        let keymap = try Keymap(labels: config.labels, overrides: config.keys)
        #expect(keymap.command(for: .character("a")) == .action(.accept))
        #expect(keymap.command(for: .character(" ")) == .action(.skip))
        #expect(keymap.command(for: .backspace) == .action(.undo))
        #expect(keymap.command(for: .enter) == nil && keymap.command(for: .character("s")) == nil)
        // A key named beside the preset wins over it.
        let mine = try Keymap(labels: config.labels, overrides: ["preset": ["prodigy"], "accept": ["y"]])
        #expect(mine.keys(for: .accept) == [.character("y")])
        #expect(throws: KeymapError.self) { try Keymap(labels: config.labels, overrides: ["preset": ["vim"]]) }
    }

    @Test func overridesReplaceAnActionsKeys() throws {
        let keymap = try Keymap(labels: Fixtures.sentimentLabels, overrides: ["skip": ["n", "Tab"], "accept": ["a"]])
        #expect(keymap.command(for: .character("n")) == .action(.skip))
        #expect(keymap.command(for: .tab) == .action(.skip))
        #expect(keymap.command(for: .character("s")) == nil)
        #expect(keymap.command(for: .enter) == nil)
        #expect(keymap.keys(for: .accept) == [.character("a")])
    }

    @Test func aKeyGivenToALabelLeavesAnotherActionsDefault() throws {
        let labels = LabelSet([Label(name: "joke", key: "j"), Label(name: "fact", key: "2")])
        let keymap = try Keymap(labels: labels)
        #expect(keymap.command(for: .character("j")) == .label("joke"))
        #expect(keymap.keys(for: .scrollDown) == [.down])
    }

    @Test func clashesAndUnknownNamesAreReported() {
        #expect(throws: KeymapError.self) { try Keymap(labels: Fixtures.sentimentLabels, overrides: ["skip": ["1"]]) }
        #expect(throws: KeymapError.self) { try Keymap(labels: Fixtures.sentimentLabels, overrides: ["jump": ["x"]]) }
        #expect(throws: KeymapError.self) { try Keymap(labels: Fixtures.sentimentLabels, overrides: ["skip": ["Hyper+x"]]) }
        let labels = LabelSet([Label(name: "spam", key: "s"), Label(name: "ham", key: "h")])
        #expect(throws: KeymapError.self) { try Keymap(labels: labels) }
    }

    @Test func keyNamesParse() {
        #expect(KeyPress(name: "Enter") == .enter)
        #expect(KeyPress(name: "space") == .character(" "))
        #expect(KeyPress(name: "PgDn") == .pageDown)
        #expect(KeyPress(name: "F5") == .function(5))
        #expect(KeyPress(name: "Ctrl+X") == .control("x"))
        #expect(KeyPress(name: "A") == .character("A"))
        #expect(KeyPress(name: "nonsense") == nil)
    }

    @Test func labelKeysAreSummarisedAsRuns() throws {
        let names = (0..<12).map { "label\($0)" }
        #expect(try Keymap(labels: LabelSet(names: names)).labelKeysSummary == "1-9 a-c")
        #expect(try Keymap(labels: Fixtures.sentimentLabels).labelKeysSummary == "1-3")
        let custom = LabelSet([Label(name: "yes", key: "y"), Label(name: "no", key: "n")])
        #expect(try Keymap(labels: custom, overrides: [:]).labelKeysSummary == "y n")
    }
}
