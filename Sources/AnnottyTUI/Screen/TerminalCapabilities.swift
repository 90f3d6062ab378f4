/// What a terminal can show: colours, and characters beyond ASCII.
public struct TerminalCapabilities: Sendable, Hashable {
    public var colors: Bool
    public var unicode: Bool

    public init(colors: Bool, unicode: Bool) {
        self.colors = colors
        self.unicode = unicode
    }

    public static let full = TerminalCapabilities(colors: true, unicode: true)
    public static let monochrome = TerminalCapabilities(colors: false, unicode: true)
    public static let ascii = TerminalCapabilities(colors: false, unicode: false)
}
