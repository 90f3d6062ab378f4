/// A rectangle of the screen.
public struct Region: Sendable, Equatable {
    public var row: Int
    public var column: Int
    public var rows: Int
    public var columns: Int
}

/// Where each part of the labeling screen goes for a window size. Narrow windows list the labels
/// under the pre-label; wide ones give them a panel on the right with their definitions.
public struct LabelingLayout: Sendable, Equatable {
    public static let minimumColumns = 50
    public static let minimumRows = 12
    /// From this width on the labels get a side panel with their definitions.
    public static let wideColumns = 120
    /// Columns before the pre-label and the label list ("Pre-label  ").
    public static let captionWidth = 12
    public static let minimumItemRows = 3

    public let size: ScreenSize
    public let fits: Bool
    public let isWide: Bool
    public let item: Region
    /// Rows under the item's text: its other fields, and in a review the votes.
    public let details: Region
    public let panel: Region?
    public let separatorRow: Int
    public let prelabelRow: Int
    /// Rows of the label list in a narrow window, each the indices of the labels on it.
    public let labelRows: [[Int]]
    /// Multi-label in a narrow window: where the checkbox entries go.
    public let checkboxGrid: CheckboxGrid?
    public let messageRow: Int
    /// Rows saying why the LLM is slow or failing (none when it is fine), above the status line.
    public let llmNoteRow: Int
    public let llmNoteRows: Int
    public let statusRow: Int
    public let footerRow: Int

    public init(state: LabelingState) {
        let columns = Self.itemColumns(for: state.size)
        self.init(size: state.size, keymap: state.setup.keymap, unicode: state.capabilities.unicode,
                  multiLabel: state.setup.isMultiLabel, llmNoteRows: LLMNoteView.lines(state, width: state.size.columns - 2).count,
                  detailRows: ItemDetailsView.lines(state, width: columns).count)
    }

    /// The width of the item's text area for a window size.
    static func itemColumns(for size: ScreenSize) -> Int {
        guard size.columns >= wideColumns else { return size.columns - 2 }
        return size.columns - panelWidth(for: size) - 4
    }

    static func panelWidth(for size: ScreenSize) -> Int {
        min(60, max(36, size.columns / 3))
    }

    /// `llmNoteRows` and `detailRows` are what the state would like; a small window gives the
    /// item its minimum rows first, then the LLM's note, then the details.
    /// `multiLabel` lays the labels out as a grid of checkbox entries.
    public init(size: ScreenSize, keymap: Keymap, unicode: Bool, multiLabel: Bool = false, llmNoteRows wantedNoteRows: Int = 0,
                detailRows wantedDetailRows: Int = 0) {
        self.size = size
        let wide = size.columns >= Self.wideColumns
        isWide = wide
        footerRow = size.rows - 1
        statusRow = size.rows - 2
        let grid = wide || !multiLabel ? nil : CheckboxGrid(keymap: keymap, unicode: unicode, screenColumns: size.columns)
        checkboxGrid = grid
        let labelRows = wide ? [] : grid?.rows ?? Self.packLabels(keymap, width: size.columns - Self.captionWidth - 1, unicode: unicode)
        self.labelRows = labelRows
        // Rows left for the item with no note and no details.
        let bareItemRows = statusRow - 1 - labelRows.count - 1 - 1 - 2
        var spare = max(0, bareItemRows - Self.minimumItemRows)
        let noteRows = min(wantedNoteRows, spare)
        spare -= noteRows
        let detailRows = min(wantedDetailRows, spare)
        llmNoteRows = noteRows
        llmNoteRow = statusRow - noteRows
        messageRow = llmNoteRow - 1
        prelabelRow = messageRow - labelRows.count - 1
        separatorRow = prelabelRow - 1
        let itemRows = separatorRow - 2 - detailRows
        if wide {
            let panelWidth = Self.panelWidth(for: size)
            let panelColumn = size.columns - panelWidth
            panel = Region(row: 2, column: panelColumn, rows: separatorRow - 2, columns: panelWidth - 1)
            item = Region(row: 2, column: 1, rows: itemRows, columns: panelColumn - 4)
        } else {
            panel = nil
            item = Region(row: 2, column: 1, rows: itemRows, columns: size.columns - 2)
        }
        details = Region(row: 2 + itemRows, column: item.column, rows: detailRows, columns: item.columns)
        fits = size.columns >= Self.minimumColumns && size.rows >= Self.minimumRows && itemRows >= Self.minimumItemRows
    }

    /// The column of the rule between the item and the label panel.
    public var panelRuleColumn: Int? {
        panel.map { $0.column - 2 }
    }

    /// Label entries ("1 positive") packed into rows, three spaces apart.
    static func packLabels(_ keymap: Keymap, width: Int, unicode: Bool) -> [[Int]] {
        guard !keymap.labels.isEmpty else { return [[]] }
        let inert = InertText(unicode: unicode)
        var rows: [[Int]] = []
        var row: [Int] = []
        var used = 0
        for (index, binding) in keymap.labels.enumerated() {
            let entryWidth = min(width, LabelListView.entryWidth(binding, inert: inert))
            let needed = row.isEmpty ? entryWidth : used + LabelListView.gap + entryWidth
            if !row.isEmpty, needed > width {
                rows.append(row)
                row = [index]
                used = entryWidth
            } else {
                row.append(index)
                used = needed
            }
        }
        rows.append(row)
        return rows
    }
}
