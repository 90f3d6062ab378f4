/// Where a multi-label project's checkbox entries go in a narrow window: a table read left to
/// right, each column as wide as its widest entry, so that ticks, names and probabilities line
/// up. It starts after the "Labels" caption, or at the left edge when that saves rows (a long
/// label list such as GoEmotions' 28 keeps more of the item in view).
public struct CheckboxGrid: Sendable, Equatable {
    /// Gap between two entries of a row.
    public static let gap = 2
    /// "[x] " before the key; " " + "0.83" + the predicted-in mark after the name.
    static let fixedColumns = 4 + 1 + 1 + 4 + 1

    /// The screen column of the first entry of each row.
    public let column: Int
    /// Whether the "Labels" caption is drawn (there is room for it beside the grid).
    public let hasCaption: Bool
    /// The widest key's width.
    public let keyWidth: Int
    /// Each grid column's entry width.
    public let widths: [Int]
    /// The label binding indices on each row.
    public let rows: [[Int]]

    public init(keymap: Keymap, unicode: Bool, screenColumns: Int) {
        let inert = InertText(unicode: unicode)
        let keyWidth = keymap.labels.map { inert.line($0.key.displayName).width }.max() ?? 1
        let entries = keymap.labels.map { Self.fixedColumns + keyWidth + inert.line($0.label.name).width }
        self.keyWidth = keyWidth
        let captioned = Self.table(entries, width: screenColumns - LabelingLayout.captionWidth - 1)
        let bare = Self.table(entries, width: screenColumns - 2)
        let useBare = bare.rows.count < captioned.rows.count
        let chosen = useBare ? bare : captioned
        column = useBare ? 1 : LabelingLayout.captionWidth
        hasCaption = !useBare
        widths = chosen.widths
        rows = chosen.rows
    }

    /// The name's width in grid column `position`: the entry's width less the fixed parts.
    public func nameWidth(at position: Int) -> Int {
        widths[position] - Self.fixedColumns - keyWidth
    }

    /// The screen column of the entry at `position` on its row.
    public func entryColumn(at position: Int) -> Int {
        column + widths.prefix(position).reduce(0, +) + Self.gap * position
    }

    /// The most columns whose widest entries fit in `width`; one column when none does.
    static func table(_ entries: [Int], width: Int) -> (widths: [Int], rows: [[Int]]) {
        guard !entries.isEmpty else { return ([], [[]]) }
        for perRow in stride(from: entries.count, through: 1, by: -1) {
            var widths = [Int](repeating: 0, count: perRow)
            for (index, entry) in entries.enumerated() { widths[index % perRow] = max(widths[index % perRow], entry) }
            if widths.reduce(0, +) + gap * (perRow - 1) <= width || perRow == 1 {
                let rows = stride(from: 0, to: entries.count, by: perRow).map { Array($0..<min($0 + perRow, entries.count)) }
                return (perRow == 1 ? [min(widths[0], width)] : widths, rows)
            }
        }
        return ([], [[]])
    }
}
