import AnnottyCore

/// The labelled texts demonstrations are drawn from: items people have labelled, and the
/// guidelines' examples as the fallback while few items are labelled. Immutable; reload it to
/// see new decisions.
public struct DemonstrationPool: Sendable {
    struct Entry: Sendable {
        var demonstration: Demonstration
        var vector: TextVector
        /// The text and its fields' values, in characters: what the demonstration adds to a prompt.
        var length: Int
    }

    let labelled: [Entry]
    let fallback: [Entry]

    public init(labelled: [Demonstration], guidelineExamples: [Demonstration]) {
        self.labelled = labelled.map(DemonstrationPool.entry)
        self.fallback = guidelineExamples.map(DemonstrationPool.entry)
    }

    public var labelledCount: Int { labelled.count }

    /// A guideline example sits under one label's section; for a multi-label project it shows
    /// the set of that one label (the section's examples illustrate it).
    /// A span project's guideline examples name a type but mark no span, so they are not shown.
    public static func guidelineExamples(_ guidelines: Guidelines, labels: LabelSet, task: TaskKind = .single) -> [Demonstration] {
        guard task != .spans else { return [] }
        return guidelines.examples.filter { labels.contains($0.label) }.map {
            Demonstration(text: $0.text, label: task == .multi ? MultiLabelAnswer([$0.label], labels: labels).encoded : $0.label,
                          origin: .guidelines)
        }
    }

    /// Items whose label a person gave (accepted, corrected, adjudicated, audited or imported);
    /// auto-accepted labels are the model's own and golden items stay unseen.
    /// A multi-label project's demonstrations carry sets (the encoded `MultiLabelAnswer`).
    public static func load(store: any AnnotationStore, labels: LabelSet, guidelines: Guidelines,
                            task: TaskKind = .single) throws -> DemonstrationPool {
        var latestLabel: [Int64: String] = [:]
        var order: [Int64] = []
        for decision in try store.effectiveDecisions() where decision.kind.carriesLabel && decision.kind != .auto {
            guard let label = decision.label, task.accepts(label: label, labels: labels) else { continue }
            if latestLabel[decision.itemId] == nil { order.append(decision.itemId) }
            latestLabel[decision.itemId] = label
        }
        let items = try store.items(ids: order)
        let labelled = items.filter { !$0.isGolden }.compactMap { item -> Demonstration? in
            guard let label = latestLabel[item.id] else { return nil }
            return Demonstration(text: item.text, fields: item.fields, label: label, origin: .labelled, itemId: item.id)
        }
        return DemonstrationPool(labelled: labelled, guidelineExamples: guidelineExamples(guidelines, labels: labels, task: task))
    }

    /// The `count` demonstrations most similar to the item, least similar first so that the
    /// closest sits right before the item. Labelled items come first; guideline examples fill
    /// the remaining places. A text longer than both `maxCharacters` and the item itself is never
    /// chosen: a demonstration is never part of a cached prompt prefix, so its every token is read
    /// again for each item, and long texts, sharing words with many items, would otherwise be
    /// chosen most often for short items. A long item may still be shown texts as long as itself.
    public func select(for item: Item, count: Int, maxCharacters: Int = .max) -> [Demonstration] {
        guard count > 0 else { return [] }
        let query = DemonstrationPool.vector(item.text, item.fields)
        let maxCharacters = max(maxCharacters, DemonstrationPool.length(item.text, item.fields))
        let fromLabelled = DemonstrationPool.nearest(labelled, to: query, count: count) {
            $0.length <= maxCharacters && $0.demonstration.itemId != item.id && $0.demonstration.text != item.text
        }
        var chosen = fromLabelled
        if chosen.count < count {
            chosen += DemonstrationPool.nearest(fallback, to: query, count: count - chosen.count) {
                $0.length <= maxCharacters && $0.demonstration.text != item.text
            }
        }
        // Fallback examples (less relevant) go first, then labelled ones by rising similarity.
        return chosen.reversed().map(\.demonstration)
    }

    /// Most similar first; ties keep pool order so that prompts (and their cache keys) are stable.
    static func nearest(_ entries: [Entry], to query: TextVector, count: Int, where include: (Entry) -> Bool) -> [Entry] {
        var scored: [(Float, Int)] = []
        scored.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() where include(entry) {
            scored.append((entry.vector.similarity(query), index))
        }
        scored.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
        return scored.prefix(count).map { entries[$0.1] }
    }

    static func entry(_ demonstration: Demonstration) -> Entry {
        Entry(demonstration: demonstration, vector: vector(demonstration.text, demonstration.fields),
              length: length(demonstration.text, demonstration.fields))
    }

    /// The text and its fields' values, in characters.
    static func length(_ text: String, _ fields: [ItemField]) -> Int {
        text.count + fields.reduce(0) { $0 + $1.value.count }
    }

    static func vector(_ text: String, _ fields: [ItemField]) -> TextVector {
        TextVector(fields.isEmpty ? text : text + " " + fields.map(\.value).joined(separator: " "))
    }
}
