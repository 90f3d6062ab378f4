import Foundation

/// Changes one value in annotty.toml in place, keeping every comment and the rest of the file
/// as the person wrote it.
public enum ConfigFileEditor {
    /// Replaces `key = …` in `[section]` (adding the line under the header when absent).
    public static func setting(_ key: String, to value: String, inSection section: String, of text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        var current = ""
        var headerIndex: Int?
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") {
                current = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).trimmingCharacters(in: .whitespaces)
                if current == section, !trimmed.hasPrefix("[[") { headerIndex = index }
                continue
            }
            guard current == section, let equals = trimmed.firstIndex(of: "=") else { continue }
            if trimmed[..<equals].trimmingCharacters(in: .whitespaces) == key {
                let indent = line.prefix { $0 == " " || $0 == "\t" }
                lines[index] = "\(indent)\(key) = \(value)"
                return lines.joined(separator: "\n")
            }
        }
        if let headerIndex {
            lines.insert("\(key) = \(value)", at: headerIndex + 1)
        } else {
            lines.append(contentsOf: ["", "[\(section)]", "\(key) = \(value)"])
        }
        return lines.joined(separator: "\n")
    }
}
