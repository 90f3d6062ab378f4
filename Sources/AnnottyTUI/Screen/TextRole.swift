/// The meaning of a piece of text on screen; a `StylePalette` turns it into attributes.
public enum TextRole: String, Sendable, Hashable, CaseIterable {
    case normal
    case dim
    case heading
    case titleBar
    case fieldName
    case placeholder
    case prelabel
    case confidenceHigh
    case confidenceMedium
    case confidenceLow
    case key
    case labelName
    case highlightedLabel
    case statusBar
    /// A warning or an error inside the status bar (the LLM is slow or failing).
    case statusWarning
    case statusError
    case footer
    case footerKey
    case success
    case warning
    case error
    case overlayBorder
    case selection
}
