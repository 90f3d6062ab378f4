/// Test accuracy against the number of labels, from one simulated run.
public struct LearningCurve: Sendable, Codable, Equatable {
    public struct Point: Sendable, Codable, Equatable {
        public var labelCount: Int
        public var accuracy: Double

        public init(labelCount: Int, accuracy: Double) {
            self.labelCount = labelCount
            self.accuracy = accuracy
        }
    }

    public var seed: UInt64
    public var points: [Point]

    public init(seed: UInt64, points: [Point]) {
        self.seed = seed
        self.points = points
    }

    public var finalAccuracy: Double { points.last?.accuracy ?? 0 }

    /// Mean accuracy over every point of the curve (the area under it, per point).
    public var meanAccuracy: Double {
        points.isEmpty ? 0 : points.map(\.accuracy).reduce(0, +) / Double(points.count)
    }
}
