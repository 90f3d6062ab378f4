/// A bag of hashed word unigrams and bigrams, L2-normalised: cheap similarity between texts,
/// enough to pick demonstrations that resemble the item.
public struct TextVector: Sendable, Equatable {
    /// Sorted bucket indices with their weights.
    public let buckets: [UInt32]
    public let weights: [Float]

    static let bucketBits: UInt32 = 20

    public init(_ text: String) {
        let words = TextVector.words(text)
        var counts: [UInt32: Float] = [:]
        let mask = (UInt32(1) << TextVector.bucketBits) - 1
        for (index, word) in words.enumerated() {
            counts[UInt32(truncatingIfNeeded: TextVector.fnv1a(word)) & mask, default: 0] += 1
            if index > 0 {
                counts[UInt32(truncatingIfNeeded: TextVector.fnv1a(words[index - 1] + " " + word)) & mask, default: 0] += 1
            }
        }
        let norm = counts.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let sorted = counts.keys.sorted()
        buckets = sorted
        weights = norm > 0 ? sorted.map { counts[$0]! / norm } : sorted.map { _ in 0 }
    }

    /// Cosine similarity, in [0, 1] for these non-negative vectors.
    public func similarity(_ other: TextVector) -> Float {
        var i = 0, j = 0
        var sum: Float = 0
        while i < buckets.count && j < other.buckets.count {
            if buckets[i] == other.buckets[j] {
                sum += weights[i] * other.weights[j]
                i += 1
                j += 1
            } else if buckets[i] < other.buckets[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return sum
    }

    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// FNV-1a: stable across runs and platforms, unlike Swift's seeded `Hasher`.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
