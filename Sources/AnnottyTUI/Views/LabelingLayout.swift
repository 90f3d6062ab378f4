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
    public let panel: Region?
    public let separatorRow: Int
    public let prelabelRow: Int
    /// Rows of the label list in a narrow window, each the indices of the labels on it.
    public let labelRows: [[Int]]
    public let messageRow: Int
    public let statusRow: Int
    public let footerRow: Int

    public init(state: LabelingState) {
        self.init(size: state.size, keymap: state.setup.keymap, unicode: state.capabilities.unicode)
    }

    public init(size: ScreenSize, keymap: Keymap, unicode: Bool) {
        self.size = size
        let wide = size.columns >= Self.wideColumns
        isWide = wide
        footerRow = size.rows - 1
        statusRow = size.rows - 2
        messageRow = size.rows - 3
        let labelRows = wide ? [] : Self.packLabels(keymap, width: size.columns - Self.captionWidth - 1, unicode: unicode)
        self.labelRows = labelRows
        prelabelRow = messageRow - labelRows.count - 1
        separatorRow = prelabelRow - 1
        let itemRows = separatorRow - 2
        if wide {
            let panelWidth = min(60, max(36, size.columns / 3))
            let panelColumn = size.columns - panelWidth
            panel = Region(row: 2, column: panelColumn, rows: itemRows, columns: panelWidth - 1)
            item = Region(row: 2, column: 1, rows: itemRows, columns: panelColumn - 4)
        } else {
            panel = nil
            item = Region(row: 2, column: 1, rows: itemRows, columns: size.columns - 2)
        }
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
