import Foundation

/// The tables `annotty simulate --task multi` prints from `MultiLabelSimulator` runs: per selector,
/// the mean over seeds of each run's mean micro and macro F1 over its curve and of its last point
/// (± the population deviation across seeds), and micro F1 at each number of labelled items.
public struct MultiLabelCurveTable: Sendable {
    public let micro: [LearningCurveSummary]
    public let macro: [LearningCurveSummary]

    /// - Parameter curves: `seeds` runs per name, the runs of `names[0]` first.
    public init(names: [String], curves: [[MultiLabelSimulator.Point]], seeds: Int) {
        self.init(names: names, runs: curves.map { $0.map { (labelCount: $0.labelCount, scores: $0.scores) } }, seeds: seeds)
    }

    /// - Parameter runs: per run, the scores at each number of labelled items; `seeds` runs per name.
    public init(names: [String], runs curves: [[(labelCount: Int, scores: MultiLabelScores)]], seeds: Int) {
        precondition(curves.count == names.count * seeds, "seeds runs per selector")
        func summary(_ position: Int, _ metric: KeyPath<MultiLabelScores, Double>) -> LearningCurveSummary {
            let own = curves[(position * seeds)..<((position + 1) * seeds)]
            return LearningCurveSummary(name: names[position], curves: own.enumerated().map { seed, points in
                LearningCurve(seed: UInt64(seed + 1),
                              points: points.map { .init(labelCount: $0.labelCount, accuracy: $0.scores[keyPath: metric]) })
            })
        }
        micro = names.indices.map { summary($0, \.microF1) }
        macro = names.indices.map { summary($0, \.macroF1) }
    }

    public func summaryTable() -> String {
        func pair(_ value: (mean: Double, standardDeviation: Double)) -> String {
            String(format: "%.3f ± %.3f", value.mean, value.standardDeviation)
        }
        var out = "| selector | mean micro F1 over the curve | mean macro F1 over the curve | last micro F1 | last macro F1 |\n"
        out += "| --- | --- | --- | --- | --- |\n"
        for (micro, macro) in zip(micro, macro) {
            out += "| \(micro.name) | \(pair(micro.curveMean)) | \(pair(macro.curveMean)) | \(pair(micro.final)) | \(pair(macro.final)) |\n"
        }
        return out
    }

    /// Micro F1 (mean over seeds) at each number of labelled items.
    public func checkpointTable() -> String {
        let counts = micro.first?.points.map(\.labelCount) ?? []
        var out = "| micro F1 at | " + counts.map(String.init).joined(separator: " | ") + " |\n"
        out += "| --- |" + String(repeating: " ---: |", count: counts.count) + "\n"
        for summary in micro {
            out += "| \(summary.name) | " + summary.points.map { String(format: "%.3f", $0.mean) }.joined(separator: " | ") + " |\n"
        }
        return out
    }
}
