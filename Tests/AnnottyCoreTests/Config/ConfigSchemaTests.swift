import AnnottyCore
import Foundation
import Testing

/// annotty.toml's keys are one table (`ConfigSchema`): the parser, the known keys and the `init`
/// template all come from it.
@Suite struct ConfigSchemaTests {
    static let labels = "[[labels]]\nname = \"a\"\n[[labels]]\nname = \"b\"\n"

    @Test func theKnownKeysAreTheTablesKeys() {
        var grouped: [String: [String]] = [:]
        for setting in ConfigSchema.settings { grouped[setting.section, default: []].append(setting.name) }
        for (section, keys) in grouped {
            #expect(ConfigKeys.sections[section] == .some(.some(keys)), "[\(section)]")
        }
        #expect(Set(ConfigKeys.sections.keys) == Set(ConfigSchema.sections.map(\.name)))
        // Sections whose keys are free (label names, key actions) have no declared keys.
        #expect(ConfigKeys.sections["keys"] == .some(.none))
        #expect(ConfigKeys.sections["routing.auto_accept_per_label"] == .some(.none))
        // Every key is declared once.
        let names = ConfigSchema.settings.map { "\($0.section).\($0.name)" }
        #expect(Set(names).count == names.count)
    }

    /// Every key's value is checked by the table's parse, with the file and line of the key.
    @Test func everyKeyRejectsAValueOfTheWrongKindAtItsLine() throws {
        for setting in ConfigSchema.settings {
            let bad = setting.defaultText?.hasPrefix("\"") == true || setting.defaultText?.hasPrefix("[") == true
                ? "123" : "\"not-a-value\""
            let header = setting.section.isEmpty ? "" : "[\(setting.section)]\n"
            // The top-level keys go first; a section's keys under its header, after the labels.
            let text = setting.section.isEmpty
                ? "\(setting.name) = \(bad)\n" + Self.labels
                : Self.labels + header + "\(setting.name) = \(bad)\n"
            let line = setting.section.isEmpty ? 1 : 6
            do {
                _ = try ProjectConfig.parse(text, fileName: "p/annotty.toml")
                Issue.record("\(setting.section).\(setting.name) = \(bad) was accepted")
            } catch let error as InputError {
                #expect(error.file == "p/annotty.toml" && error.line == line, "\(setting.name): \(error)")
                #expect(error.message.hasPrefix(setting.name + " "), "\(setting.name): \(error.message)")
            }
        }
    }

    /// The template writes every key of the table (set ones as values, unset optional ones
    /// commented out with an example), and a file that sets nothing parses to the defaults.
    @Test func theTemplateWritesEveryKeyAndItsDefault() throws {
        let defaults = ConfigSchema.defaults
        let text = ConfigTemplate.render(defaults)
        for setting in ConfigSchema.settings {
            let written = "\(setting.name) = \(setting.defaultText ?? "")"
            #expect(text.contains("\n" + written + "\n") || text.contains("\n# " + written + "\n"),
                    "\(setting.section).\(setting.name) missing as \(written)")
            for line in setting.comment { #expect(text.contains("# " + line)) }
        }
        #expect(try ProjectConfig.parse(text, fileName: "t") == defaults)
        let bare = try ProjectConfig.parse(Self.labels, fileName: "t")
        #expect(bare == defaults)
    }

    /// Settings the old template left out came back as defaults after `init` wrote them.
    @Test func optionalAndPerLabelSettingsSurviveTheTemplate() throws {
        var config = ProjectConfig(name: "x", labels: LabelSet(names: ["spam", "ham"]))
        config.routing.autoAcceptTargetError = 0.03
        config.routing.autoAcceptPerLabel = ["spam": 0.99]
        config.queue.uncertaintyWeight = 2
        let text = ConfigTemplate.render(config)
        #expect(text.contains("\nauto_accept_target_error = 0.03\n"))
        #expect(!text.contains("# auto_accept_target_error"))
        #expect(text.contains("\nspam = 0.99\n"))
        #expect(try ProjectConfig.parse(text, fileName: "t") == config)
    }
}
