import AnnottyCore
import Foundation

/// `calibration-bias FIXTURE...`: does a calibrator over the whole vector (vector scaling) fix a
/// model's label bias? For each fixture (recorded predictions with gold labels) it prints the raw
/// argmax accuracy, the majority-label share, and the accuracy of the calibrated label on outcomes
/// the calibrator never saw: 5-fold cross-fitted on all outcomes, and as a curve, fitted on the
/// first n outcomes of a seeded order and measured on the rest (mean over 10 orders).
enum CalibrationBenchmarks {
    static func bias(_ arguments: [String]) throws {
        let paths = arguments.isEmpty
            ? ["Tests/AnnottyCoreTests/Fixtures/smollm2-reviews.jsonl", "Tests/AnnottyCoreTests/Fixtures/smollm2-trec.jsonl"]
            : arguments
        for path in paths {
            let fixture = try PredictionFixture(path: path)
            let vectors = fixture.cases.map(\.probabilities)
            let gold = fixture.cases.map(\.gold)
            let count = Double(gold.count)
            let rawAccuracy = Double(zip(vectors, gold).filter { argmax($0.0) == $0.1 }.count) / count
            var goldCounts = [Int](repeating: 0, count: fixture.labels.count)
            for label in gold { goldCounts[label] += 1 }
            let majority = Double(goldCounts.max() ?? 0) / count
            var predictedCounts = [Int](repeating: 0, count: fixture.labels.count)
            for vector in vectors { predictedCounts[argmax(vector)] += 1 }
            print("== \(path): \(gold.count) outcomes, labels \(fixture.labels.names.joined(separator: " "))")
            print("gold counts      " + goldCounts.map(String.init).joined(separator: " "))
            print("raw argmax counts " + predictedCounts.map(String.init).joined(separator: " "))
            let choice = try CalibratorCrossValidation.choose(probabilities: vectors, labels: gold)
            print(String(format: "raw accuracy %.3f · majority-label share %.3f", rawAccuracy, majority))
            print("5-fold cross-fitted, all outcomes:  candidate        log loss  accuracy")
            for candidate in CalibratorCrossValidation.Candidate.allCases {
                print("    " + candidate.rawValue.padding(toLength: 30, withPad: " ", startingAt: 0)
                      + String(format: "   %.4f    %.3f", choice.heldOutLogLoss[candidate]!, choice.heldOutAccuracy[candidate]!)
                      + (candidate == choice.chosen ? "  (chosen)" : ""))
            }
            // Learning curve: fit on the first n of a seeded order, measure on the rest.
            print("fitted on the first n outcomes, measured on the rest (mean over 10 seeded orders):")
            print("     n   raw acc   vector acc   majority-of-n acc   chosen calibrator's acc   chosen (most often)")
            for n in [20, 30, 50, 100, 150, 200, 250] where n + 20 <= gold.count {
                var raw = 0.0, vector = 0.0, majorityOfSeen = 0.0, chosenAccuracy = 0.0
                var chosenCounts: [String: Int] = [:]
                let seeds: [UInt64] = Array(1...10)
                for seed in seeds {
                    var generator = SeededGenerator(seed: seed)
                    let order = generator.shuffled(Array(gold.indices))
                    let seen = Array(order.prefix(n)), rest = Array(order.dropFirst(n))
                    let scaling = try CalibratorCrossValidation.fit(
                        .vectorScaling, probabilities: seen.map { vectors[$0] }, labels: seen.map { gold[$0] })
                    let selection = try CalibratorCrossValidation.choose(
                        probabilities: seen.map { vectors[$0] }, labels: seen.map { gold[$0] }, seed: seed)
                    let chosen = try selection.refit(probabilities: seen.map { vectors[$0] }, labels: seen.map { gold[$0] })
                    chosenCounts[selection.chosen.rawValue, default: 0] += 1
                    var seenCounts = [Int](repeating: 0, count: fixture.labels.count)
                    for index in seen { seenCounts[gold[index]] += 1 }
                    let seenMajority = argmax(seenCounts.map(Double.init))
                    let restCount = Double(rest.count)
                    raw += Double(rest.filter { argmax(vectors[$0]) == gold[$0] }.count) / restCount
                    vector += Double(rest.filter { scaling.calibratedPrediction(probabilities: vectors[$0]).index == gold[$0] }.count) / restCount
                    chosenAccuracy += Double(rest.filter { chosen.calibratedPrediction(probabilities: vectors[$0]).index == gold[$0] }.count) / restCount
                    majorityOfSeen += Double(rest.filter { gold[$0] == seenMajority }.count) / restCount
                }
                let runs = Double(seeds.count)
                let mostOften = chosenCounts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!
                print(String(format: "%6d    %.3f       %.3f             %.3f                     %.3f", n,
                             raw / runs, vector / runs, majorityOfSeen / runs, chosenAccuracy / runs)
                      + "            \(mostOften.key) (\(mostOften.value)/\(seeds.count))")
            }
            print("")
        }
    }

    static func argmax(_ values: [Double]) -> Int {
        values.indices.max { values[$0] != values[$1] ? values[$0] < values[$1] : $0 > $1 } ?? 0
    }
}
