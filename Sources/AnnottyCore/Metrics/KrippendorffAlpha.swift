/// Krippendorff's alpha with missing values, with the semantics of the Python `krippendorff`
/// package (`krippendorff.alpha`): coincidences from pairable values only, expected coincidences
/// from their marginals, and that package's distance for each level of measurement.
public enum KrippendorffAlpha {
    public enum Level: String, Sendable, Codable, CaseIterable {
        /// δ = 0 if equal, else 1.
        case nominal
        /// δ = (Σ_{g=i..j} n_g − (n_i + n_j)/2)², i, j the values' ranks, n the pairable value counts.
        case ordinal
        /// δ = (v − v′)².
        case interval
        /// δ = ((v − v′)/(v + v′))² (0 when both are 0).
        case ratio
    }

    /// - Parameter reliabilityData: one row per coder, one column per unit; nil is missing.
    /// - Returns: α = 1 − D_o/D_e; `.nan` when there is no expected disagreement.
    /// - Throws: `MetricsError.empty` when fewer than two pairable values exist, `.invalidArgument`
    ///   when rows differ in length.
    public static func alpha(reliabilityData: [[Double?]], level: Level) throws -> Double {
        guard let unitCount = reliabilityData.first?.count else { throw MetricsError.empty }
        guard reliabilityData.allSatisfy({ $0.count == unitCount }) else {
            throw MetricsError.invalidArgument("every coder row must have one entry per unit")
        }
        let values = Array(Set(reliabilityData.flatMap { $0.compactMap { $0 } })).sorted()
        var position: [Double: Int] = [:]
        for (index, value) in values.enumerated() { position[value] = index }
        var counts = Array(repeating: Array(repeating: 0, count: values.count), count: unitCount)
        for row in reliabilityData {
            for (unit, value) in row.enumerated() {
                if let value, let index = position[value] { counts[unit][index] += 1 }
            }
        }
        return try alpha(valueCounts: counts, values: values, level: level)
    }

    /// Alpha over crowd labels, each class index used as the value (so ordinal follows class order and
    /// interval/ratio treat classes as 0, 1, 2…; nominal is the usual choice for categories).
    public static func alpha(_ labels: [CrowdLabel], level: Level = .nominal, classCount: Int? = nil) throws -> Double {
        let classes = classCount ?? labels.impliedClassCount
        let counts = try labels.voteCounts(itemCount: labels.impliedItemCount, classCount: classes)
        return try alpha(valueCounts: counts, values: (0..<classes).map(Double.init), level: level)
    }

    /// - Parameters:
    ///   - valueCounts: `[unit][v]` how many coders gave unit the value `values[v]`.
    ///   - values: the value domain, strictly ascending.
    public static func alpha(valueCounts: [[Int]], values: [Double], level: Level) throws -> Double {
        guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw MetricsError.invalidArgument("values must be strictly ascending")
        }
        return try alpha(valueCounts: valueCounts, valueCount: values.count) { marginals in
            distanceMatrix(values: values, marginals: marginals, level: level)
        }
    }

    /// The one computation of alpha from coincidences, for any distance between values (the
    /// levels above; MASI or Jaccard between label sets in `LabelSetAlpha`).
    /// - Parameters:
    ///   - valueCounts: `[unit][v]` how many coders gave the unit value v.
    ///   - distances: the `[v][v′]` distances, given the values' marginal counts (ordinal needs them).
    public static func alpha(valueCounts: [[Int]], valueCount v: Int,
                             distances makeDistances: ([Double]) -> [[Double]]) throws -> Double {
        // Coincidence matrix o[c][k] = Σ_u (n_uc n_uk − δ_ck n_uc) / (m_u − 1) over units with m_u ≥ 2.
        var coincidences = Array(repeating: Array(repeating: 0.0, count: v), count: v)
        for row in valueCounts {
            guard row.count == v else { throw MetricsError.invalidArgument("each unit needs one count per value") }
            let pairable = row.reduce(0, +)
            guard pairable >= 2 else { continue }
            let scale = 1.0 / Double(pairable - 1)
            let present = row.indices.filter { row[$0] > 0 }
            for c in present {
                for k in present {
                    let pairs = row[c] * row[k] - (c == k ? row[c] : 0)
                    coincidences[c][k] += Double(pairs) * scale
                }
            }
        }
        let marginals = coincidences.map { $0.reduce(0, +) }
        let total = marginals.reduce(0, +)
        guard total > 1 else { throw MetricsError.empty }
        let distances = makeDistances(marginals)
        var observed = 0.0
        var expected = 0.0
        for c in 0..<v {
            for k in 0..<v where distances[c][k] != 0 {
                observed += coincidences[c][k] * distances[c][k]
                let chance = (marginals[c] * marginals[k] - (c == k ? marginals[c] : 0)) / (total - 1)
                expected += chance * distances[c][k]
            }
        }
        guard expected > 0 else { return .nan }
        return 1 - observed / expected
    }

    static func distanceMatrix(values: [Double], marginals: [Double], level: Level) -> [[Double]] {
        let v = values.count
        var matrix = Array(repeating: Array(repeating: 0.0, count: v), count: v)
        // Prefix sums of the pairable counts make the ordinal distance O(1) per pair.
        var prefix = [0.0]
        for n in marginals { prefix.append(prefix[prefix.count - 1] + n) }
        for i in 0..<v {
            for j in 0..<v where i != j {
                let a = values[i], b = values[j]
                switch level {
                case .nominal:
                    matrix[i][j] = 1
                case .ordinal:
                    let low = min(i, j), high = max(i, j)
                    let span = prefix[high + 1] - prefix[low] - (marginals[low] + marginals[high]) / 2
                    matrix[i][j] = span * span
                case .interval:
                    matrix[i][j] = (a - b) * (a - b)
                case .ratio:
                    let sum = a + b
                    matrix[i][j] = sum == 0 ? 0 : ((a - b) / sum) * ((a - b) / sum)
                }
            }
        }
        return matrix
    }
}
