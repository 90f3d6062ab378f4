import Foundation

/// The one rounding rule for figures annotty prints: round half away from zero, applied to the
/// shortest decimal that reads back as the same Double. `String(format: "%.4f")` rounds the binary
/// value instead, so 735/800 = 0.91875 (stored as 0.91874999…) printed as 0.9187 while the README,
/// computed by hand, said 0.9188.
public enum DecimalFormat {
    /// `value` with exactly `places` digits after the point; "nan", "inf" or "-inf" when not finite.
    public static func fixed(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        guard var decimal = Decimal(string: "\(value)", locale: Locale(identifier: "en_US_POSIX")) else {
            return String(format: "%.\(places)f", value)
        }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &decimal, places, .plain)
        var text = NSDecimalNumber(decimal: rounded).description(withLocale: Locale(identifier: "en_US_POSIX"))
        if text.hasPrefix("-"), rounded.isZero { text.removeFirst() }
        if places > 0 {
            if let dot = text.firstIndex(of: ".") {
                let have = text.distance(from: dot, to: text.endIndex) - 1
                text += String(repeating: "0", count: max(0, places - have))
            } else {
                text += "." + String(repeating: "0", count: places)
            }
        }
        return text
    }

    /// `fraction` as a percentage with `places` decimals and a "%" sign, e.g. 0.91875 -> "91.9%".
    public static func percent(_ fraction: Double, places: Int = 1) -> String {
        fixed(fraction * 100, places: places) + "%"
    }
}
