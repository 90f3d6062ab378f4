/// A sparse feature vector: strictly increasing indices with their non-zero values.
/// Float keeps 100,000 pooled items with a few hundred features each within a modest memory budget.
public struct SparseVector: Sendable, Equatable, Hashable {
    public private(set) var indices: [UInt32]
    public private(set) var values: [Float]

    public init() {
        indices = []
        values = []
    }

    /// Builds a vector from index/value pairs in any order; values at repeated indices are summed
    /// and zero sums are dropped.
    public init(pairs: [(index: UInt32, value: Float)]) {
        let sorted = pairs.sorted { $0.index < $1.index }
        var indices: [UInt32] = []
        var values: [Float] = []
        indices.reserveCapacity(sorted.count)
        values.reserveCapacity(sorted.count)
        for pair in sorted {
            if let last = indices.last, last == pair.index {
                values[values.count - 1] += pair.value
            } else {
                indices.append(pair.index)
                values.append(pair.value)
            }
        }
        var keptIndices: [UInt32] = []
        var keptValues: [Float] = []
        keptIndices.reserveCapacity(indices.count)
        keptValues.reserveCapacity(indices.count)
        for (index, value) in zip(indices, values) where value != 0 {
            keptIndices.append(index)
            keptValues.append(value)
        }
        self.indices = keptIndices
        self.values = keptValues
    }

    /// Trusted construction from already sorted, unique indices.
    init(sortedIndices: [UInt32], values: [Float]) {
        self.indices = sortedIndices
        self.values = values
    }

    public var nonZeroCount: Int { indices.count }

    public var norm: Double {
        var sum: Double = 0
        for value in values { sum += Double(value) * Double(value) }
        return sum.squareRoot()
    }

    /// The same direction with unit Euclidean length (the zero vector stays zero).
    public func normalized() -> SparseVector {
        let length = norm
        guard length > 0 else { return self }
        let scale = Float(1 / length)
        return SparseVector(sortedIndices: indices, values: values.map { $0 * scale })
    }

    /// Dot product by merging the two sorted index lists.
    public func dot(_ other: SparseVector) -> Double {
        var sum: Double = 0
        var i = 0
        var j = 0
        let a = indices, b = other.indices
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                sum += Double(values[i]) * Double(other.values[j])
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return sum
    }

    /// Dot product against a dense array indexed by feature (an index past its end counts as zero).
    public func dot(dense: UnsafeBufferPointer<Float>) -> Double {
        var sum: Float = 0
        indices.withUnsafeBufferPointer { indexBuffer in
            values.withUnsafeBufferPointer { valueBuffer in
                guard let denseBase = dense.baseAddress, let indexBase = indexBuffer.baseAddress,
                      let valueBase = valueBuffer.baseAddress else { return }
                let limit = dense.count
                var k = 0
                while k < indexBuffer.count {
                    let index = Int(indexBase[k])
                    if index < limit { sum += valueBase[k] * denseBase[index] }
                    k += 1
                }
            }
        }
        return Double(sum)
    }
}
