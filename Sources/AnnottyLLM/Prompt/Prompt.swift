import AnnottyCore

/// The chat messages for one item, and the hash that keys the prediction cache.
public struct Prompt: Sendable, Equatable {
    public var messages: [ChatMessage]
    /// SHA-256 over everything that shapes the answer except the model name (which the cache
    /// keys separately): the messages, the label set and the scoring method.
    public var hash: String
    /// The item's few-shot demonstrations, for diagnosis and tests.
    public var demonstrations: [Demonstration]
    /// The item's whole text (the messages may hold it cut): what a span scorer anchors the
    /// model's entities in, so that offsets come from the item and never from the model.
    public var itemText: String

    public init(messages: [ChatMessage], hash: String, demonstrations: [Demonstration] = [], itemText: String = "") {
        self.messages = messages
        self.hash = hash
        self.demonstrations = demonstrations
        self.itemText = itemText
    }

    /// The hash of `messages` for a scorer whose behaviour `scoringSignature` describes.
    public static func hash(messages: [ChatMessage], scoringSignature: String) -> String {
        var hasher = SHA256()
        hasher.update("annotty-prompt-v1\n")
        hasher.update(scoringSignature)
        hasher.update("\n")
        hasher.update(JSONValue.array(messages.map(\.json)).serialized)
        return hasher.finalize().hexString
    }
}

/// A labelled text shown to the model as a worked example.
public struct Demonstration: Sendable, Equatable, Hashable {
    public enum Origin: String, Sendable { case labelled, guidelines }
    public var text: String
    public var fields: [ItemField]
    public var label: String
    public var origin: Origin
    /// The labelled item's id, when it came from the store.
    public var itemId: Int64?

    public init(text: String, fields: [ItemField] = [], label: String, origin: Origin, itemId: Int64? = nil) {
        self.text = text
        self.fields = fields
        self.label = label
        self.origin = origin
        self.itemId = itemId
    }
}
