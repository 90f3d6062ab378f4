/// The ordered labels of a task. Order matters: it fixes probability vectors and default keys.
public struct LabelSet: Sendable, Hashable, Codable {
    public let labels: [Label]

    public init(_ labels: [Label]) {
        self.labels = labels
    }

    /// Labels with default keys 1-9, then a-z (skipping letters the TUI uses for commands).
    public init(names: [String]) {
        self.labels = names.enumerated().map { Label(name: $1, key: LabelSet.defaultKey(index: $0)) }
    }

    public var names: [String] { labels.map(\.name) }
    public var count: Int { labels.count }

    public func index(of name: String) -> Int? {
        labels.firstIndex { $0.name == name }
    }

    public func contains(_ name: String) -> Bool { index(of: name) != nil }

    public func label(forKey key: String) -> Label? {
        labels.first { $0.key == key }
    }

    /// Keys reserved for commands, never given to a label by default.
    public static let reservedKeys: Set<Character> = ["q", "s", "u", "f", "g", "h", "j", "k", "n", "p"]

    public static func defaultKey(index: Int) -> String {
        if index < 9 { return String(index + 1) }
        let letters = "abcdeilmortvwxyz".filter { !reservedKeys.contains($0) }
        let letterIndex = index - 9
        guard letterIndex < letters.count else { return "" }
        return String(letters[letters.index(letters.startIndex, offsetBy: letterIndex)])
    }
}
