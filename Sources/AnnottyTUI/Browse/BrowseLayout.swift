/// Where each part of the browse screen goes: the title, the filter, the column heads, the list
/// (or an open item), the message or search prompt, and the keys.
public struct BrowseLayout: Sendable, Equatable {
    public let size: ScreenSize
    public let fits: Bool
    public let titleRow = 0
    public let filterRow = 1
    public let headerRow = 2
    public let listRow = 3
    public let listRows: Int
    /// An open item uses the rows from the filter line down.
    public let itemRow = 2
    public let itemRows: Int
    public let messageRow: Int
    public let footerRow: Int

    public init(size: ScreenSize) {
        self.size = size
        footerRow = size.rows - 1
        messageRow = size.rows - 2
        listRows = max(0, messageRow - listRow)
        itemRows = max(0, messageRow - itemRow)
        fits = size.columns >= LabelingLayout.minimumColumns && size.rows >= LabelingLayout.minimumRows
    }
}
