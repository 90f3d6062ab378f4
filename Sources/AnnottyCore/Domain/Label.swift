/// One label of a task: its name, the key that picks it in the TUI, and a one-line description.
public struct Label: Sendable, Hashable, Codable {
    public var name: String
    public var key: String
    public var description: String

    public init(name: String, key: String, description: String = "") {
        self.name = name
        self.key = key
        self.description = description
    }
}
