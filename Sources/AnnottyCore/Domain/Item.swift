import Foundation

/// A named extra field shown with an item, such as the hypothesis under a premise.
public struct ItemField: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A unit of work: the text to label, extra display fields and free metadata.
public struct Item: Sendable, Hashable, Identifiable {
    public var id: Int64
    /// The id the item had in the file it came from, if any.
    public var externalId: String?
    public var text: String
    public var fields: [ItemField]
    /// Other columns of the source row, kept as a JSON object so export can give them back.
    public var metadataJSON: String?
    public var contentHash: String
    /// A golden question's known answer; golden items are mixed into queues and scored.
    public var goldLabel: String?
    public var isGolden: Bool
    public var createdAt: Date

    public init(id: Int64 = 0, externalId: String? = nil, text: String, fields: [ItemField] = [],
                metadataJSON: String? = nil, contentHash: String? = nil, goldLabel: String? = nil,
                isGolden: Bool = false, createdAt: Date = Date()) {
        self.id = id
        self.externalId = externalId
        self.text = text
        self.fields = fields
        self.metadataJSON = metadataJSON
        self.contentHash = contentHash ?? ContentHash.of(text: text, fields: fields)
        self.goldLabel = goldLabel
        self.isGolden = isGolden
        self.createdAt = createdAt
    }

    public func field(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// A source row's columns other than `kept` (the text, the id, display fields, the gold label),
    /// in file order, as `metadataJSON` keeps them; nil when there are none.
    public static func metadataJSON(columns: [(key: String, value: JSONValue)], excluding kept: Set<String>) -> String? {
        let others = columns.filter { !kept.contains($0.key) }
        return others.isEmpty ? nil : JSONValue.object(others).serialized
    }

    /// The other columns of the source row (`metadataJSON`), in file order, each as one line of
    /// text; null and empty values left out. What the screen shows under the text and what the
    /// task learner reads besides it.
    public var metadataFields: [ItemField] {
        guard let metadataJSON, let members = (try? JSONParser.parse(metadataJSON))?.objectMembers else { return [] }
        return members.compactMap { member in
            guard member.value != .null else { return nil }
            let value = member.value.plainText.split(whereSeparator: \.isNewline).joined(separator: " ")
            return value.isEmpty ? nil : ItemField(name: member.key, value: value)
        }
    }
}
