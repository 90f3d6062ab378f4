import Testing
@testable import AnnottyCore

@Suite struct LearningCurveReportTests {
    let curves = [
        LearningCurve(seed: 1, points: [.init(labelCount: 10, accuracy: 0.5), .init(labelCount: 20, accuracy: 0.7)]),
        LearningCurve(seed: 2, points: [.init(labelCount: 10, accuracy: 0.3), .init(labelCount: 20, accuracy: 0.9)]),
    ]

    @Test func summaryAveragesAcrossSeeds() {
        let summary = LearningCurveSummary(name: "random", curves: curves)
        #expect(summary.points.map(\.labelCount) == [10, 20])
        #expect(abs(summary.points[0].mean - 0.4) < 1e-12)
        #expect(abs(summary.points[0].standardDeviation - 0.1) < 1e-12)
        #expect(abs(summary.final.mean - 0.8) < 1e-12)
        #expect(abs(summary.final.standardDeviation - 0.1) < 1e-12)
        // Each run's curve mean is 0.6, so the deviation across seeds is 0.
        #expect(abs(summary.curveMean.mean - 0.6) < 1e-12)
        #expect(abs(summary.curveMean.standardDeviation) < 1e-12)
    }

    @Test func tableShowsEveryPointTheLastAndTheCurveMean() {
        let table = LearningCurveReport.table([LearningCurveSummary(name: "random", curves: curves)])
        #expect(table == """
            labels             random
            10            0.400±0.100
            20            0.800±0.100
            at 20         0.800±0.100
            curve mean    0.600±0.000
            """)
    }

    @Test func chartPlotsEachStrategyWithItsOwnSymbol() {
        let other = [LearningCurve(seed: 1, points: [.init(labelCount: 10, accuracy: 0.4), .init(labelCount: 20, accuracy: 0.4)])]
        let chart = LearningCurveReport.chart([LearningCurveSummary(name: "random", curves: curves),
                                               LearningCurveSummary(name: "margin", curves: other)], height: 5)
        let lines = chart.split(separator: "\n").map(String.init)
        #expect(lines.count == 8)
        #expect(lines[0] == "0.800 |    R")   // random reaches 0.8 at the second point
        #expect(lines[4] == "0.400 | *  M")   // both at 0.4 at the first point; margin stays at 0.4
        #expect(lines[7] == "      R random  M margin")
    }
}
