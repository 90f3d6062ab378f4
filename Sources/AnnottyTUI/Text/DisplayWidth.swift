/// How many terminal columns a character takes, from Unicode properties rather than the C
/// library's `wcwidth` (which lags behind on emoji and knows nothing of grapheme clusters).
///
/// Rules: East Asian Wide and Fullwidth characters and emoji with emoji presentation take two
/// columns; combining marks, format characters and Hangul medial/final jamo take none; an emoji
/// sequence (ZWJ sequence, skin-tone modifier, variation selector 16, flag) takes two as a whole.
public enum DisplayWidth {
    /// The width of one grapheme cluster.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        var rest = scalars.dropFirst()
        if rest.isEmpty { return of(first) }
        if isRegionalIndicator(first), let second = rest.first, isRegionalIndicator(second) { return 2 }
        let properties = first.properties
        if properties.isEmoji {
            if rest.contains(variationSelector16) { return 2 }
            if rest.contains(variationSelector15) { return isEastAsianWide(first) ? 2 : 1 }
            if properties.isEmojiPresentation && !isRegionalIndicator(first) { return 2 }
            if rest.contains(zeroWidthJoiner) && rest.contains(where: { $0.properties.isEmojiPresentation }) { return 2 }
        }
        var width = of(first)
        while let scalar = rest.popFirst() { width += of(scalar) }
        return width
    }

    /// The width of a string drawn cluster by cluster.
    public static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// The width of one scalar on its own. Control characters count 0 here: they are never
    /// drawn as themselves (see `InertText`).
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) { return 0 }
        if value < 0x7F { return 1 }
        if isZeroWidth(scalar) { return 0 }
        if isRegionalIndicator(scalar) { return 1 }
        if scalar.properties.isEmojiPresentation || isEastAsianWide(scalar) { return 2 }
        return 1
    }

    public static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) { return true }
        if value == 0x200B { return true }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark:
            return true
        case .format:
            // Prepended concatenation marks (Arabic number signs and the like) are visible.
            return !prependedConcatenationMarks.contains(value)
        default:
            return false
        }
    }

    public static func isRegionalIndicator(_ scalar: Unicode.Scalar) -> Bool {
        (0x1F1E6...0x1F1FF).contains(scalar.value)
    }

    /// East Asian Width W or F (Unicode 14, with the CJK blocks wide also where unassigned).
    public static func isEastAsianWide(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x1100 { return false }
        var low = 0
        var high = eastAsianWideRanges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = eastAsianWideRanges[middle]
            if value < range.lowerBound {
                high = middle - 1
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }

    static let zeroWidthJoiner: Unicode.Scalar = "\u{200D}"
    static let variationSelector15: Unicode.Scalar = "\u{FE0E}"
    static let variationSelector16: Unicode.Scalar = "\u{FE0F}"
    static let prependedConcatenationMarks: Set<UInt32> = [
        0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD,
    ]

    /// Generated from Python's unicodedata (Unicode 14.0): categories other than Mn, Me, Co with
    /// east_asian_width W or F, plus the unassigned code points of the CJK ideograph blocks and
    /// planes 2 and 3, which Unicode makes wide by default. Newer emoji are caught by
    /// `isEmojiPresentation`, which follows the Swift runtime's newer Unicode version.
    static let eastAsianWideRanges: [ClosedRange<UInt32>] = [
        0x01100...0x0115F, 0x0231A...0x0231B, 0x02329...0x0232A, 0x023E9...0x023EC,
        0x023F0...0x023F0, 0x023F3...0x023F3, 0x025FD...0x025FE, 0x02614...0x02615,
        0x02648...0x02653, 0x0267F...0x0267F, 0x02693...0x02693, 0x026A1...0x026A1,
        0x026AA...0x026AB, 0x026BD...0x026BE, 0x026C4...0x026C5, 0x026CE...0x026CE,
        0x026D4...0x026D4, 0x026EA...0x026EA, 0x026F2...0x026F3, 0x026F5...0x026F5,
        0x026FA...0x026FA, 0x026FD...0x026FD, 0x02705...0x02705, 0x0270A...0x0270B,
        0x02728...0x02728, 0x0274C...0x0274C, 0x0274E...0x0274E, 0x02753...0x02755,
        0x02757...0x02757, 0x02795...0x02797, 0x027B0...0x027B0, 0x027BF...0x027BF,
        0x02B1B...0x02B1C, 0x02B50...0x02B50, 0x02B55...0x02B55, 0x02E80...0x02E99,
        0x02E9B...0x02EF3, 0x02F00...0x02FD5, 0x02FF0...0x02FFB, 0x03000...0x03029,
        0x0302E...0x0303E, 0x03041...0x03096, 0x0309B...0x030FF, 0x03105...0x0312F,
        0x03131...0x0318E, 0x03190...0x031E3, 0x031F0...0x0321E, 0x03220...0x03247,
        0x03250...0x04DBF, 0x04E00...0x0A48C, 0x0A490...0x0A4C6, 0x0A960...0x0A97C,
        0x0AC00...0x0D7A3, 0x0F900...0x0FAFF, 0x0FE10...0x0FE19, 0x0FE30...0x0FE52,
        0x0FE54...0x0FE66, 0x0FE68...0x0FE6B, 0x0FF01...0x0FF60, 0x0FFE0...0x0FFE6,
        0x16FE0...0x16FE3, 0x16FF0...0x16FF1, 0x17000...0x187F7, 0x18800...0x18CD5,
        0x18D00...0x18D08, 0x1AFF0...0x1AFF3, 0x1AFF5...0x1AFFB, 0x1AFFD...0x1AFFE,
        0x1B000...0x1B122, 0x1B150...0x1B152, 0x1B164...0x1B167, 0x1B170...0x1B2FB,
        0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
        0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251,
        0x1F260...0x1F265, 0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C,
        0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0,
        0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC,
        0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A,
        0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5,
        0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DD...0x1F6DF,
        0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0,
        0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FA74,
        0x1FA78...0x1FA7C, 0x1FA80...0x1FA86, 0x1FA90...0x1FAAC, 0x1FAB0...0x1FABA,
        0x1FAC0...0x1FAC5, 0x1FAD0...0x1FAD9, 0x1FAE0...0x1FAE7, 0x1FAF0...0x1FAF6,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
