/// Hashed word features for the span learner, per token of a sentence: the lowercased word and
/// its neighbours two either side, the word's shape and capitalisation pattern, prefixes and
/// suffixes, digits and hyphens, and a few conjunctions (previous word with this one, shape
/// with position). Each feature string is hashed (FNV-1a) into `bucketCount` buckets, so the
/// model's size is fixed whatever the vocabulary.
public struct SpanFeatures: Sendable {
    public let bucketCount: Int

    public init(bucketCount: Int = 1 << 20) {
        precondition(bucketCount > 0)
        self.bucketCount = bucketCount
    }

    /// Feature buckets for each token of `words`.
    public func extract(_ words: [String]) -> [[Int32]] {
        let lower = words.map { $0.lowercased() }
        let shapes = words.map(Self.shortShape)
        func word(_ index: Int) -> String {
            index < 0 ? "<s>" : index >= words.count ? "</s>" : lower[index]
        }
        func shape(_ index: Int) -> String {
            index < 0 ? "<s>" : index >= words.count ? "</s>" : shapes[index]
        }
        var result: [[Int32]] = []
        result.reserveCapacity(words.count)
        for (index, original) in words.enumerated() {
            let characters = Array(lower[index])
            var features: [String] = [
                "bias",
                "w=" + lower[index],
                "w-1=" + word(index - 1),
                "w+1=" + word(index + 1),
                "w-2=" + word(index - 2),
                "w+2=" + word(index + 2),
                "w-1,w=" + word(index - 1) + "|" + lower[index],
                "w,w+1=" + lower[index] + "|" + word(index + 1),
                "shape=" + shapes[index],
                "longshape=" + Self.longShape(original),
                "shape-1=" + shape(index - 1),
                "shape+1=" + shape(index + 1),
                "shape-1,shape,shape+1=" + shape(index - 1) + "|" + shapes[index] + "|" + shape(index + 1),
                "caps=" + Self.capitalisation(original) + (index == 0 ? "|first" : "|inside"),
            ]
            for length in 1...4 where characters.count >= length {
                features.append("p\(length)=" + String(characters.prefix(length)))
                features.append("s\(length)=" + String(characters.suffix(length)))
            }
            if original.contains(where: \.isNumber) { features.append("digit") }
            if original.contains("-") { features.append("hyphen") }
            if characters.count <= 2 { features.append("short") }
            result.append(features.map(bucket))
        }
        return result
    }

    private func bucket(_ feature: String) -> Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in feature.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int32(truncatingIfNeeded: hash % UInt64(bucketCount))
    }

    /// "McDonald's" → "XxXx'x": runs of one kind of character collapsed.
    static func shortShape(_ word: String) -> String {
        var shape = ""
        var last: Character?
        for character in word {
            let kind = Self.kind(of: character)
            if kind != last { shape.append(kind) }
            last = kind
        }
        return shape
    }

    /// "U.S." → "X.X.", "1996" → "dddd" (capped at six characters).
    static func longShape(_ word: String) -> String {
        String(word.prefix(6).map(Self.kind(of:)))
    }

    private static func kind(of character: Character) -> Character {
        if character.isUppercase { return "X" }
        if character.isLowercase { return "x" }
        if character.isNumber { return "d" }
        return character
    }

    /// All capitals, title case, mixed, lower, or none (punctuation and numbers).
    static func capitalisation(_ word: String) -> String {
        let letters = word.filter(\.isLetter)
        if letters.isEmpty { return "none" }
        if letters.allSatisfy(\.isUppercase) { return letters.count > 1 ? "upper" : "initial" }
        if letters.first!.isUppercase { return letters.dropFirst().allSatisfy(\.isLowercase) ? "title" : "mixed" }
        return letters.allSatisfy(\.isLowercase) ? "lower" : "mixed"
    }
}
