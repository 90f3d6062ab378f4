/// The dedup key of an item: the same text with the same extra fields is the same item.
public enum ContentHash {
    /// First 128 bits of SHA-256 over the text and the fields, hex-encoded.
    public static func of(text: String, fields: [ItemField]) -> String {
        digest(text: text, fields: fields).hexString
    }

    /// The same 16 bytes, as the store keeps them (a BLOB half the size of the hex).
    public static func digest(text: String, fields: [ItemField]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(text)
        for field in fields {
            hasher.update([0x1f])
            hasher.update(field.name)
            hasher.update([0x1e])
            hasher.update(field.value)
        }
        return Array(hasher.finalize().prefix(16))
    }
}
