import Foundation

/// Writes annotty.toml with a comment on every setting, for `annotty init`: every section and
/// key comes from `ConfigSchema`, the same table the parser reads, so the template cannot name a
/// key the parser rejects or leave one out.
public enum ConfigTemplate {
    public static func render(_ config: ProjectConfig) -> String {
        var out = """
        # annotty project configuration. Edit freely; `annotty status` checks it.
        # Lines starting with # are comments.


        """
        let settings = ConfigSchema.settings
        for section in ConfigSchema.sections {
            if !section.name.isEmpty { out += "[\(section.name)]\n" }
            out += comment(section.comment)
            for setting in settings where setting.section == section.name {
                out += comment(setting.comment)
                if let value = setting.value(config) {
                    out += "\(setting.name) = \(value)\n"
                } else if let example = setting.example {
                    out += "# \(setting.name) = \(example)\n"
                }
            }
            for (key, value) in section.freeValues(config) { out += "\(key) = \(value)\n" }
            out += "\n"
            if section.name.isEmpty { out += labels(config) }
        }
        return out
    }

    /// One [[labels]] block per label.
    static func labels(_ config: ProjectConfig) -> String {
        var out = comment(["One [[labels]] block per label, in the order they are listed on screen.",
                           "key: the key that picks the label; description: one line shown beside it."])
        for label in config.labels.labels {
            out += "[[labels]]\nname = \(quote(label.name))\nkey = \(quote(label.key))\n"
                + "description = \(quote(label.description))\n\n"
        }
        return out
    }

    static func comment(_ lines: [String]) -> String {
        lines.map { $0.isEmpty ? "#\n" : "# \($0)\n" }.joined()
    }

    /// A key as TOML writes it: bare when it is letters, digits, - and _, quoted otherwise.
    static func bareOrQuotedKey(_ key: String) -> String {
        let bare = !key.isEmpty && key.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
        return bare ? key : quote(key)
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
