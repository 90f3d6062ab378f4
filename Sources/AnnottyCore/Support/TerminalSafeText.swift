/// Makes untrusted text (items, LLM answers) inert before it reaches a terminal: control
/// characters and bidirectional overrides become visible placeholders, never escape sequences.
public enum TerminalSafeText {
    /// Bidirectional embedding, override and isolate controls, which can reorder what is shown.
    static let bidiControls: ClosedRange<UInt32> = 0x202A...0x202E
    static let bidiIsolates: ClosedRange<UInt32> = 0x2066...0x2069

    /// A visible stand-in for a scalar that must not reach the terminal, or nil if it is safe.
    public static func placeholder(for scalar: Unicode.Scalar) -> String? {
        let value = scalar.value
        switch value {
        case 0x1B: return "␛"
        case 0x09: return nil
        case 0x0A: return nil
        case 0x00...0x1F: return String(Unicode.Scalar(0x2400 + value)!)  // ␀ ... ␟
        case 0x7F: return "␡"
        case 0x80...0x9F: return "<U+\(String(value, radix: 16, uppercase: true))>"
        case bidiControls, bidiIsolates, 0x200E, 0x200F, 0x061C:
            return "<U+\(String(value, radix: 16, uppercase: true))>"
        default: return nil
        }
    }

    /// Keeps line breaks and tabs, replaces everything else unsafe.
    public static func sanitize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\r" { continue }
            if let replacement = placeholder(for: scalar) {
                out.append(contentsOf: replacement.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// One safe line, with line breaks and tabs as spaces, cut to `limit` characters.
    public static func singleLine(_ text: String, limit: Int) -> String {
        let flat = sanitize(text).map { $0 == "\n" || $0 == "\t" ? " " : $0 }
        let line = String(flat)
        return line.count > limit ? String(line.prefix(limit - 1)) + "…" : line
    }
}
