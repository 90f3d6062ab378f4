import Foundation

/// Turns a text into a hashed, TF-IDF weighted, L2-normalised sparse vector of word and character
/// n-grams. Hashing keeps the feature space fixed (no vocabulary to grow or store), so vectors made
/// today and tomorrow share indices; the hash is FNV-1a, stable across processes, unlike `Hasher`.
public struct TextVectorizer: Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        /// The feature space has 2^hashBits buckets.
        public var hashBits: Int
        /// Word n-gram lengths; the text is framed by start and end markers, so "^ what" is a bigram.
        public var wordNGrams: ClosedRange<Int>
        /// Character n-gram lengths, taken inside each word padded by a space on both sides; nil for none.
        public var characterNGrams: ClosedRange<Int>?
        /// Scale of the character block relative to the word block before normalising.
        public var characterWeight: Float
        /// Use 1 + log(tf) instead of the raw count.
        public var sublinearTermFrequency: Bool

        public init(hashBits: Int = 18, wordNGrams: ClosedRange<Int> = 1...2,
                    characterNGrams: ClosedRange<Int>? = 2...4, characterWeight: Float = 0.5,
                    sublinearTermFrequency: Bool = true) {
            self.hashBits = hashBits
            self.wordNGrams = wordNGrams
            self.characterNGrams = characterNGrams
            self.characterWeight = characterWeight
            self.sublinearTermFrequency = sublinearTermFrequency
        }
    }

    public let configuration: Configuration
    /// Smoothed inverse document frequency per bucket, log((1 + n) / (1 + df)) + 1; empty until fitted,
    /// in which case every weight is 1.
    public private(set) var inverseDocumentFrequency: [Float]
    public private(set) var fittedDocumentCount: Int

    public var dimension: Int { 1 << configuration.hashBits }

    /// An unfitted vectorizer: term frequencies only.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.inverseDocumentFrequency = []
        self.fittedDocumentCount = 0
    }

    /// A vectorizer whose IDF weights come from `texts`. Fit on every item of the project, labelled or
    /// not: IDF from a few dozen labelled texts would be noise.
    public init(fittingTexts texts: [String], configuration: Configuration = Configuration()) {
        self.init(configuration: configuration)
        var documentFrequency = [Int32](repeating: 0, count: dimension)
        for text in texts {
            for index in termCounts(for: text).indices { documentFrequency[Int(index)] += 1 }
        }
        let n = Double(texts.count)
        inverseDocumentFrequency = documentFrequency.map { Float(log((1 + n) / (1 + Double($0))) + 1) }
        fittedDocumentCount = texts.count
    }

    /// The L2-normalised TF-IDF vector of `text`.
    public func vector(for text: String) -> SparseVector {
        let counts = termCounts(for: text)
        var values = counts.values
        for k in values.indices {
            let count = values[k]
            var weight = configuration.sublinearTermFrequency ? 1 + log(abs(count)) : abs(count)
            if count < 0 { weight *= configuration.characterWeight } // negative marks a character n-gram
            if !inverseDocumentFrequency.isEmpty { weight *= inverseDocumentFrequency[Int(counts.indices[k])] }
            values[k] = weight
        }
        return SparseVector(sortedIndices: counts.indices, values: values).normalized()
    }

    public func vectors(for texts: [String]) -> [SparseVector] {
        texts.map(vector(for:))
    }

    /// Hashed n-gram counts of `text`, unweighted. Word n-gram counts are positive; character n-gram
    /// counts are stored negated so `vector(for:)` can weight the two blocks apart (a bucket shared
    /// by both kinds takes the kind of its first n-gram in sorted order; collisions are rare).
    func termCounts(for text: String) -> SparseVector {
        let mask = UInt64(dimension - 1)
        var hashed: [(bucket: UInt32, isCharacter: Bool)] = []
        let scalars = Array(text.lowercased().unicodeScalars)

        // Words: runs of letters and digits; any other visible character is a one-character token.
        var words: [ArraySlice<Unicode.Scalar>] = []
        var start: Int? = nil
        for (position, scalar) in scalars.enumerated() {
            let isWordCharacter = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            if isWordCharacter {
                if start == nil { start = position }
            } else {
                if let wordStart = start { words.append(scalars[wordStart..<position]); start = nil }
                if !scalar.properties.isWhitespace { words.append(scalars[position...position]) }
            }
        }
        if let wordStart = start { words.append(scalars[wordStart..<scalars.count]) }

        let startMarker: UInt64 = 0x5354_4152_54
        let endMarker: UInt64 = 0x454E_44
        let wordHashes = [startMarker] + words.map { Self.fnv1a($0, seed: 0xCBF2_9CE4_8422_2325) } + [endMarker]
        for length in configuration.wordNGrams where length >= 1 {
            guard wordHashes.count >= length else { continue }
            for first in 0...(wordHashes.count - length) {
                // A unigram of a boundary marker carries no information.
                if length == 1 && (first == 0 || first == wordHashes.count - 1) { continue }
                var hash = UInt64(length) &* 0x9E37_79B9_7F4A_7C15
                for k in first..<(first + length) { hash = Self.mix(hash ^ wordHashes[k]) }
                hashed.append((UInt32(truncatingIfNeeded: Self.mix(hash) & mask), false))
            }
        }

        let space: Unicode.Scalar = " "
        let characterLengths: [Int] = configuration.characterNGrams.map { Array($0) } ?? []
        for word in words where word.count > 1 || word.first.map({ $0.properties.isAlphabetic }) == true {
            let padded = [space] + Array(word) + [space]
            for length in characterLengths where length >= 1 && padded.count >= length {
                for first in 0...(padded.count - length) {
                    let hash = Self.fnv1a(padded[first..<(first + length)], seed: 0x84_2223_25CB_F29C &+ UInt64(length))
                    hashed.append((UInt32(truncatingIfNeeded: Self.mix(hash) & mask), true))
                }
            }
        }

        hashed.sort { $0.bucket < $1.bucket }
        var indices: [UInt32] = []
        var counts: [Float] = []
        indices.reserveCapacity(hashed.count)
        counts.reserveCapacity(hashed.count)
        for entry in hashed {
            if let last = indices.last, last == entry.bucket {
                counts[counts.count - 1] += counts[counts.count - 1] < 0 ? -1 : 1
            } else {
                indices.append(entry.bucket)
                counts.append(entry.isCharacter ? -1 : 1)
            }
        }
        return SparseVector(sortedIndices: indices, values: counts)
    }

    static func fnv1a(_ scalars: ArraySlice<Unicode.Scalar>, seed: UInt64) -> UInt64 {
        var hash = seed
        for scalar in scalars {
            var value = scalar.value
            for _ in 0..<4 {
                hash ^= UInt64(value & 0xFF)
                hash &*= 0x100_0000_01B3
                value >>= 8
                if value == 0 { break }
            }
        }
        return hash
    }

    /// SplitMix64 finaliser: spreads FNV's weak low bits before masking.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
