/// Multi-label: the set of labels ticked on the item on screen, before Enter commits it. Label
/// keys toggle; each toggle is kept so that undo can revert them one at a time before it undoes
/// a committed decision.
public struct LabelSelection: Sendable, Equatable {
    /// The item the selection belongs to.
    public private(set) var itemId: Int64?
    /// Indices into the project's labels.
    public private(set) var chosen: Set<Int>
    /// The label indices toggled on this item, oldest first.
    public private(set) var toggles: [Int] = []
    /// The person changed the set on this item (a toggle, even one reverted since): a pre-label
    /// that arrives later no longer replaces the selection.
    public private(set) var isEdited = false

    /// - Parameter isEdited: the set is one the person gave (an undone decision's), which a
    ///   pre-label arriving later must not replace.
    public init(itemId: Int64? = nil, chosen: Set<Int> = [], isEdited: Bool = false) {
        self.itemId = itemId
        self.chosen = chosen
        self.isEdited = isEdited
    }

    /// Ticks the label when it is not in the set, unticks it when it is. Returns whether it is
    /// in the set now.
    @discardableResult
    public mutating func toggle(_ index: Int) -> Bool {
        toggles.append(index)
        isEdited = true
        if chosen.remove(index) == nil {
            chosen.insert(index)
            return true
        }
        return false
    }

    /// Reverts the latest toggle, restoring the set before it. Returns the label index it
    /// reverted and whether that label is in the set now; nil when nothing was toggled.
    public mutating func revertLastToggle() -> (index: Int, isIn: Bool)? {
        guard let index = toggles.popLast() else { return nil }
        if chosen.remove(index) == nil {
            chosen.insert(index)
            return (index, true)
        }
        return (index, false)
    }

    /// A pre-label arrived: it becomes the selection unless the person has changed it.
    public mutating func offer(_ indices: Set<Int>, itemId: Int64) {
        guard self.itemId == itemId, !isEdited else { return }
        chosen = indices
    }
}
