/// The characters of the interface itself (rules, bars, arrows), in Unicode or plain ASCII.
public struct ChromeGlyphs: Sendable {
    public let horizontalRule: String
    public let verticalRule: String
    public let topLeft: String
    public let topRight: String
    public let bottomLeft: String
    public let bottomRight: String
    public let separator: String
    public let marker: String
    public let barFull: String
    public let barEmpty: String
    /// One eighth to seven eighths of a bar cell; empty in ASCII.
    public let barEighths: [String]
    public let ellipsis: String
    public let check: String
    public let undo: String
    public let flag: String
    public let arrow: String
    public let down: String
    public let up: String
    public let cursor: String

    public static let unicode = ChromeGlyphs(
        horizontalRule: "─", verticalRule: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        separator: " · ", marker: "▸", barFull: "█", barEmpty: "░", barEighths: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"],
        ellipsis: "…", check: "✓", undo: "↶", flag: "⚑", arrow: "→", down: "↓", up: "↑", cursor: "▏")

    public static let ascii = ChromeGlyphs(
        horizontalRule: "-", verticalRule: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        separator: " | ", marker: ">", barFull: "#", barEmpty: ".", barEighths: [],
        ellipsis: "...", check: "ok", undo: "undo", flag: "flag", arrow: "->", down: "v", up: "^", cursor: "_")

    public static func `for`(_ capabilities: TerminalCapabilities) -> ChromeGlyphs {
        capabilities.unicode ? .unicode : .ascii
    }

    /// A bar `cells` wide filled to `fraction` (0...1), with eighths when Unicode allows.
    public func bar(_ fraction: Double, cells: Int) -> String {
        let clamped = min(1, max(0, fraction.isFinite ? fraction : 0))
        if barEighths.isEmpty {
            let full = Int((clamped * Double(cells)).rounded())
            return String(repeating: barFull, count: full) + String(repeating: barEmpty, count: cells - full)
        }
        let eighths = Int((clamped * Double(cells * 8)).rounded())
        let full = eighths / 8
        let remainder = eighths % 8
        var bar = String(repeating: barFull, count: full)
        var used = full
        if remainder > 0, used < cells {
            bar += barEighths[remainder - 1]
            used += 1
        }
        return bar + String(repeating: barEmpty, count: cells - used)
    }
}
