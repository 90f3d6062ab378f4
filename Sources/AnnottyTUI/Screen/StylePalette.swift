/// The eight basic terminal colours; nil means the terminal's own default.
public enum TerminalColor: Int, Sendable, Hashable {
    case black = 0, red, green, yellow, blue, magenta, cyan, white
}

/// How a role looks on a given terminal.
public struct TextAttributes: Sendable, Hashable {
    public var bold = false
    public var dim = false
    public var reverse = false
    public var underline = false
    public var foreground: TerminalColor?
    public var background: TerminalColor?

    public init(bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false,
                foreground: TerminalColor? = nil, background: TerminalColor? = nil) {
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
        self.foreground = foreground
        self.background = background
    }

    public var usesColor: Bool { foreground != nil || background != nil }
}

/// Roles to attributes: colours when the terminal has them and NO_COLOR is unset, otherwise a
/// monochrome look built from bold, reverse, underline and dim alone.
public enum StylePalette {
    public static func attributes(for role: TextRole, colors: Bool) -> TextAttributes {
        colors ? colored(role) : monochrome(role)
    }

    static func colored(_ role: TextRole) -> TextAttributes {
        switch role {
        case .normal: return TextAttributes()
        case .dim: return TextAttributes(dim: true)
        case .heading: return TextAttributes(bold: true, foreground: .cyan)
        case .titleBar: return TextAttributes(bold: true, foreground: .white, background: .blue)
        case .fieldName: return TextAttributes(bold: true, foreground: .cyan)
        case .placeholder: return TextAttributes(reverse: true, foreground: .magenta)
        case .prelabel: return TextAttributes(bold: true, foreground: .yellow)
        case .confidenceHigh: return TextAttributes(foreground: .green)
        case .confidenceMedium: return TextAttributes(foreground: .yellow)
        case .confidenceLow: return TextAttributes(foreground: .red)
        case .key: return TextAttributes(bold: true, foreground: .cyan)
        case .labelName: return TextAttributes()
        case .highlightedLabel: return TextAttributes(bold: true, foreground: .yellow)
        case .statusBar: return TextAttributes(foreground: .black, background: .white)
        case .statusWarning: return TextAttributes(bold: true, foreground: .black, background: .yellow)
        case .statusError: return TextAttributes(bold: true, foreground: .white, background: .red)
        case .footer: return TextAttributes()
        case .footerKey: return TextAttributes(bold: true, foreground: .cyan)
        case .success: return TextAttributes(foreground: .green)
        case .warning: return TextAttributes(bold: true, foreground: .yellow)
        case .error: return TextAttributes(bold: true, foreground: .red)
        case .overlayBorder: return TextAttributes(bold: true, foreground: .cyan)
        case .selection: return TextAttributes(reverse: true)
        case .entity0, .entity1, .entity2, .entity3, .entity4, .entity5:
            return TextAttributes(bold: true, foreground: entityColor(role))
        case .proposedEntity0, .proposedEntity1, .proposedEntity2, .proposedEntity3, .proposedEntity4, .proposedEntity5:
            return TextAttributes(underline: true, foreground: entityColor(role))
        }
    }

    /// Entity types' colours in turn; white and black are left out, as they vanish on some backgrounds.
    static func entityColor(_ role: TextRole) -> TerminalColor {
        let colors: [TerminalColor] = [.cyan, .magenta, .green, .yellow, .blue, .red]
        let accepted: [TextRole] = [.entity0, .entity1, .entity2, .entity3, .entity4, .entity5]
        let pending: [TextRole] = [.proposedEntity0, .proposedEntity1, .proposedEntity2, .proposedEntity3,
                                   .proposedEntity4, .proposedEntity5]
        let index = accepted.firstIndex(of: role) ?? pending.firstIndex(of: role) ?? 0
        return colors[index]
    }

    static func monochrome(_ role: TextRole) -> TextAttributes {
        switch role {
        case .normal, .labelName, .footer, .success, .confidenceHigh, .confidenceMedium, .confidenceLow:
            return TextAttributes()
        case .dim: return TextAttributes(dim: true)
        case .heading, .fieldName, .key, .footerKey, .overlayBorder, .warning: return TextAttributes(bold: true)
        case .titleBar, .statusBar, .selection: return TextAttributes(reverse: true)
        case .placeholder: return TextAttributes(reverse: true)
        case .prelabel, .highlightedLabel: return TextAttributes(bold: true, underline: true)
        case .error, .statusWarning, .statusError: return TextAttributes(bold: true, reverse: true)
        // Brackets tell accepted spans from proposals in any case; the attributes repeat it.
        case .entity0, .entity1, .entity2, .entity3, .entity4, .entity5: return TextAttributes(bold: true)
        case .proposedEntity0, .proposedEntity1, .proposedEntity2, .proposedEntity3, .proposedEntity4, .proposedEntity5:
            return TextAttributes(underline: true)
        }
    }
}
