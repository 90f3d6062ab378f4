/// Class probabilities for many items, one row per item, stored flat to keep 100,000 rows cheap.
public struct ProbabilityMatrix: Sendable, Equatable {
    public let rowCount: Int
    public let columnCount: Int
    /// Row-major values: row i is `values[i * columnCount ..< (i + 1) * columnCount]`.
    public let values: [Double]

    public init(rowCount: Int, columnCount: Int, values: [Double]) {
        precondition(values.count == rowCount * columnCount, "values must hold rowCount × columnCount entries")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.values = values
    }

    /// Builds a matrix from rows of equal length.
    public init(rows: [[Double]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "every row must have the same length")
        self.init(rowCount: rows.count, columnCount: columns, values: rows.flatMap { $0 })
    }

    public subscript(row: Int) -> ArraySlice<Double> {
        values[(row * columnCount)..<((row + 1) * columnCount)]
    }

    public var rows: [[Double]] {
        (0..<rowCount).map { Array(self[$0]) }
    }

    /// The most probable label of each row (lower label first on ties).
    public var predictedLabels: [Int] {
        (0..<rowCount).map { row in
            var best = 0
            var bestValue = -Double.infinity
            for (label, value) in self[row].enumerated() where value > bestValue {
                best = label
                bestValue = value
            }
            return best
        }
    }
}
