/// Krippendorff's alpha for set-valued answers (each coder gives a unit a set of labels) under a set
/// distance (MASI or Jaccard). Each distinct set is one value; coincidences and expected
/// coincidences are as in `KrippendorffAlpha`, with the distance between two values read from
/// `LabelSetDistance`. Same result as the Python `krippendorff` package given that distance as a
/// callable `level_of_measurement`.
public enum LabelSetAlpha {
    /// - Parameter reliabilityData: one row per coder, one column per unit; nil is missing (not the
    ///   empty set, which is an answer).
    /// - Returns: α = 1 − D_o/D_e; `.nan` when there is no expected disagreement (every value equal).
    /// - Throws: `MetricsError.empty` with fewer than two pairable values, `.invalidArgument` when rows
    ///   differ in length.
    public static func alpha<Element: Hashable>(reliabilityData: [[Set<Element>?]], distance: LabelSetDistance) throws -> Double {
        guard let unitCount = reliabilityData.first?.count else { throw MetricsError.empty }
        guard reliabilityData.allSatisfy({ $0.count == unitCount }) else {
            throw MetricsError.invalidArgument("every coder row must have one entry per unit")
        }
        var values: [Set<Element>] = []
        var position: [Set<Element>: Int] = [:]
        var counts: [[Int]] = Array(repeating: [], count: unitCount)
        for row in reliabilityData {
            for (unit, answer) in row.enumerated() {
                guard let answer else { continue }
                let index: Int
                if let known = position[answer] { index = known } else {
                    index = values.count
                    position[answer] = index
                    values.append(answer)
                }
                if counts[unit].count <= index { counts[unit] += Array(repeating: 0, count: index + 1 - counts[unit].count) }
                counts[unit][index] += 1
            }
        }
        let padded = counts.map { $0 + Array(repeating: 0, count: values.count - $0.count) }
        let distances = values.map { a in values.map { b in distance.distance(a, b) } }
        return try alpha(valueCounts: padded, distances: distances)
    }

    /// Alpha over crowd answers; units are items, coders annotators.
    /// - Throws: `MetricsError.invalidArgument` when an annotator answered an item twice.
    public static func alpha(_ answers: [CrowdMultiLabel], distance: LabelSetDistance) throws -> Double {
        let itemCount = (answers.map(\.item).max() ?? -1) + 1
        let annotatorCount = (answers.map(\.annotator).max() ?? -1) + 1
        var data = Array(repeating: [Set<Int>?](repeating: nil, count: itemCount), count: annotatorCount)
        for answer in answers {
            guard answer.item >= 0, answer.annotator >= 0 else {
                throw MetricsError.invalidArgument("negative item or annotator index")
            }
            guard data[answer.annotator][answer.item] == nil else {
                throw MetricsError.invalidArgument("annotator \(answer.annotator) answered item \(answer.item) twice")
            }
            data[answer.annotator][answer.item] = answer.labels
        }
        return try alpha(reliabilityData: data, distance: distance)
    }

    /// - Parameters:
    ///   - valueCounts: `[unit][v]` how many coders gave the unit value v.
    ///   - distances: `[v][v′]` the distance between values, symmetric with a zero diagonal.
    public static func alpha(valueCounts: [[Int]], distances: [[Double]]) throws -> Double {
        let v = distances.count
        guard distances.allSatisfy({ $0.count == v }) else {
            throw MetricsError.invalidArgument("the distance matrix must be square")
        }
        return try KrippendorffAlpha.alpha(valueCounts: valueCounts, valueCount: v) { _ in distances }
    }
}
