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
    /// Entity spans: an accepted span, in its type's colour (types take colours in turn).
    case entity0, entity1, entity2, entity3, entity4, entity5
    /// Entity spans: a proposal not yet accepted, in its type's colour, underlined.
    case proposedEntity0, proposedEntity1, proposedEntity2, proposedEntity3, proposedEntity4, proposedEntity5

    /// The role of a span of the type at `typeIndex` (label order).
    public static func entity(typeIndex: Int, proposed: Bool) -> TextRole {
        let accepted: [TextRole] = [.entity0, .entity1, .entity2, .entity3, .entity4, .entity5]
        let pending: [TextRole] = [.proposedEntity0, .proposedEntity1, .proposedEntity2, .proposedEntity3,
                                   .proposedEntity4, .proposedEntity5]
        let index = max(0, typeIndex) % accepted.count
        return proposed ? pending[index] : accepted[index]
    }
}
