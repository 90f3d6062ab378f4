/// Text as an array of Unicode scalars, for slicing by the scalar offsets spans use
/// (`EntitySpan`) and converting from and to UTF-16 offsets (Label Studio's).
public struct ScalarText: Sendable {
    public let scalars: [Unicode.Scalar]

    public init(_ text: String) { scalars = Array(text.unicodeScalars) }

    public var count: Int { scalars.count }

    /// The text of `start..<end`; nil when the range is outside the text.
    public func slice(_ start: Int, _ end: Int) -> String? {
        guard 0 <= start, start <= end, end <= scalars.count else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    /// UTF-16 offset of a scalar offset (a scalar past U+FFFF takes two code units).
    public func utf16Offset(ofScalar offset: Int) -> Int {
        var units = 0
        for scalar in scalars.prefix(offset) { units += scalar.value > 0xFFFF ? 2 : 1 }
        return units
    }

    /// Scalar offset of a UTF-16 offset; nil when it is past the end or splits a surrogate pair.
    public func scalarOffset(ofUTF16 offset: Int) -> Int? {
        var units = 0
        for (index, scalar) in scalars.enumerated() {
            if units == offset { return index }
            if units > offset { return nil }
            units += scalar.value > 0xFFFF ? 2 : 1
        }
        return units == offset ? scalars.count : nil
    }
}
