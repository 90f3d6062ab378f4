/// One row of `annotty browse`: an item with where it stands and what was said of it.
public struct BrowsedItem: Sendable, Equatable {
    /// A flag someone raised on the item, with its note.
    public struct Flag: Sendable, Equatable {
        public var annotator: String
        public var note: String?

        public init(annotator: String, note: String?) {
            self.annotator = annotator
            self.note = note
        }
    }

    public var item: Item
    public var isOpen: Bool
    public var finalLabel: String?
    public var finalKind: DecisionKind?
    /// The latest prediction, if any.
    public var prediction: Prediction?
    /// Each person's latest label, oldest first.
    public var votes: [ItemVote]
    public var flags: [Flag]

    public init(item: Item, isOpen: Bool, finalLabel: String?, finalKind: DecisionKind?, prediction: Prediction?,
                votes: [ItemVote], flags: [Flag]) {
        self.item = item
        self.isOpen = isOpen
        self.finalLabel = finalLabel
        self.finalKind = finalKind
        self.prediction = prediction
        self.votes = votes
        self.flags = flags
    }
}
