/// The one policy for untrusted text (items, file names, annotator names, LLM answers) on its
/// way to a terminal, for the plain CLI output and the labeling screen alike (the screen's
/// `InertText` asks this type which scalars are unsafe and what stands in for them).
///
/// Unsafe: C0 controls (the caller decides about line breaks and tabs), DEL, C1 controls and
/// the bidirectional controls that reorder what is shown. Each becomes a visible placeholder:
/// ESC as `␛` (or `^[` without Unicode), other C0 controls as their control pictures, C1 and
/// others by code (`<9B>`), bidirectional controls by name (`<RLO>`). Never an escape sequence.
public enum TerminalSafeText {
    public static let bidiControlNames: [UInt32: String] = [
        0x061C: "ALM", 0x200E: "LRM", 0x200F: "RLM", 0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF",
        0x202D: "LRO", 0x202E: "RLO", 0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
    ]

    /// Scalars that would change the terminal's state or the order text is shown in.
    public static func mustNotReachTerminal(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) { return true }
        return bidiControlNames[value] != nil
    }

    /// What is shown instead of an unsafe scalar; printable ASCII only when `unicode` is false.
    public static func placeholder(for scalar: Unicode.Scalar, unicode: Bool) -> String {
        let value = scalar.value
        if value < 0x20 || value == 0x7F {
            if unicode {
                return String(value == 0x7F ? Unicode.Scalar(0x2421)! : Unicode.Scalar(0x2400 + value)!)
            }
            return "^" + (value == 0x7F ? "?" : String(Unicode.Scalar(value + 0x40)!))
        }
        if let name = bidiControlNames[value] { return "<\(name)>" }
        return code(scalar)
    }

    /// `<9B>`, `<200B>`: a scalar by its code, at least two hex digits.
    public static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "<" + String(repeating: "0", count: max(0, 2 - hex.count)) + hex + ">"
    }

    /// Keeps line breaks and tabs, replaces everything else unsafe. A carriage return is
    /// dropped where it ends a line (CRLF) and shown elsewhere, where it could overwrite a line.
    public static func sanitize(_ text: String, unicode: Bool = true) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\n" || scalar == "\t" {
                out.append(scalar)
            } else if scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n" {
                continue
            } else if mustNotReachTerminal(scalar) {
                out.append(contentsOf: placeholder(for: scalar, unicode: unicode).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// One safe line, with line breaks and tabs as spaces, cut to `limit` characters with an
    /// ellipsis.
    public static func singleLine(_ text: String, limit: Int) -> String {
        // Only what can be shown is examined: a 20 MB field costs no more than its first line.
        let head = String(text.prefix(limit + 1))
        let flat = String(sanitize(head).map { $0 == "\n" || $0 == "\t" ? " " : $0 })
        return flat.count > limit ? String(flat.prefix(max(0, limit - 1))) + "…" : flat
    }
}
