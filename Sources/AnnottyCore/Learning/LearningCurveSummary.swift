/// Several runs of one strategy (different seeds) summarised point by point: mean and standard
/// deviation (population, as numpy's default) across seeds.
public struct LearningCurveSummary: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var labelCount: Int
        public var mean: Double
        public var standardDeviation: Double
    }

    public var name: String
    public var points: [Point]
    /// Mean and deviation across seeds of the accuracy at the last point.
    public var final: (mean: Double, standardDeviation: Double)
    /// Mean and deviation across seeds of each run's mean accuracy over its curve.
    public var curveMean: (mean: Double, standardDeviation: Double)

    public init(name: String, curves: [LearningCurve]) {
        self.name = name
        let length = curves.map(\.points.count).min() ?? 0
        points = (0..<length).map { k in
            let values = curves.map { $0.points[k].accuracy }
            let stats = Self.meanAndDeviation(values)
            return Point(labelCount: curves[0].points[k].labelCount, mean: stats.mean, standardDeviation: stats.deviation)
        }
        let finals = Self.meanAndDeviation(curves.map { Array($0.points.prefix(length)).last?.accuracy ?? 0 })
        final = (finals.mean, finals.deviation)
        let means = Self.meanAndDeviation(curves.map { curve in
            let prefix = curve.points.prefix(length)
            return prefix.isEmpty ? 0 : prefix.map(\.accuracy).reduce(0, +) / Double(prefix.count)
        })
        curveMean = (means.mean, means.deviation)
    }

    public static func == (lhs: LearningCurveSummary, rhs: LearningCurveSummary) -> Bool {
        lhs.name == rhs.name && lhs.points == rhs.points && lhs.final == rhs.final && lhs.curveMean == rhs.curveMean
    }

    static func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
        guard !values.isEmpty else { return (0, 0) }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        return (mean, variance.squareRoot())
    }
}
