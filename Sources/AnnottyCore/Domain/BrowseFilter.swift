/// Which items `annotty browse` lists. Every condition set must hold; nil means "any".
public struct BrowseFilter: Sendable, Equatable {
    /// Where an item stands in the queue.
    public enum ItemState: String, Sendable, CaseIterable {
        /// Still needs a person.
        case open
        /// Closed: it has a final label (from people, a review or the router).
        case closed
    }

    /// Who settled an item's final label.
    public enum DecidedBy: String, Sendable, CaseIterable {
        /// A person labelling it (accept, correct, audit, imported annotation).
        case person
        /// The router's auto-accept.
        case auto
        /// A reviewer settling a disagreement.
        case review
    }

    public var state: ItemState?
    /// The item's final label.
    public var label: String?
    public var decidedBy: DecidedBy?
    /// Someone who has an effective (not undone) decision on the item.
    public var annotator: String?
    /// Bounds (inclusive) on the confidence of the item's latest prediction, calibrated when known.
    public var minimumConfidence: Double?
    public var maximumConfidence: Double?
    /// Items flagged by someone (the flag not undone).
    public var flaggedOnly = false
    /// Items that people gave different labels.
    public var disagreementOnly = false
    /// Text that the item's text, one of its fields or its id contains (case-insensitive for ASCII).
    public var search: String?

    public init(state: ItemState? = nil, label: String? = nil, decidedBy: DecidedBy? = nil, annotator: String? = nil,
                minimumConfidence: Double? = nil, maximumConfidence: Double? = nil, flaggedOnly: Bool = false,
                disagreementOnly: Bool = false, search: String? = nil) {
        self.state = state
        self.label = label
        self.decidedBy = decidedBy
        self.annotator = annotator
        self.minimumConfidence = minimumConfidence
        self.maximumConfidence = maximumConfidence
        self.flaggedOnly = flaggedOnly
        self.disagreementOnly = disagreementOnly
        self.search = search
    }

    /// The same filter with another text search (empty clears it).
    public func searching(_ text: String) -> BrowseFilter {
        var copy = self
        copy.search = text.isEmpty ? nil : text
        return copy
    }
}
