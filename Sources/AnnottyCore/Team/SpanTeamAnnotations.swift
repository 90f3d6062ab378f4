/// People's span sets per item and annotator, as agreement and aggregation read them: each
/// person's latest set on the item among their accepts, corrections and imported sets (the
/// decisions the queue's plurality counts), never the router's auto-accepts.
public struct SpanTeamAnnotations: Sendable {
    /// `sets[itemId][annotator]`.
    public var sets: [Int64: [String: [EntitySpan]]]
    /// The items the sets are on, by id.
    public var items: [Int64: Item]

    public init(store: SQLiteStore) throws {
        var sets: [Int64: [String: [EntitySpan]]] = [:]
        for annotation in try store.effectiveSpanAnnotations()
        where [.accept, .correct, .imported].contains(annotation.kind) {
            // Oldest first, so the latest set of each person overwrites earlier ones.
            sets[annotation.itemId, default: [:]][annotation.annotator] = annotation.spans
        }
        self.sets = sets
        // In chunks: SQLite bounds the number of parameters in one statement.
        let ids = sets.keys.sorted()
        var items: [Int64: Item] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            for item in try store.items(ids: Array(ids[start..<min(start + 500, ids.count)])) { items[item.id] = item }
        }
        self.items = items
    }

    /// The item as a token sequence cut at every span edge any of `spanSets` has, so that each
    /// set can be written as tags over the same tokens.
    public func spanItem(_ itemId: Int64, cutAt spanSets: [[EntitySpan]]) -> SpanItem? {
        guard let item = items[itemId] else { return nil }
        return SpanItemMetadata.spanItem(id: item.externalId ?? String(itemId), text: item.text,
                                         metadataJSON: item.metadataJSON, spans: spanSets.flatMap { $0 })
    }
}
