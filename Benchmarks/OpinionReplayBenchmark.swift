import AnnottyCore
import Foundation

/// `opinion-replay [--seeds N] [--step N] [--data trec|reviews] [--advantage Z] [--datasets DIR] [--sample-data DIR]`: replays labeling
/// over the recorded TREC-6 questions and sample reviews in a seeded order. Every `step` labels the
/// loop refits what it would: the task learner on the labels so far, the LLM's calibration
/// (`ModelCalibration.fit`) on its verified outcomes, and the `OpinionCombiner` on the learner's
/// out-of-fold opinions of the labelled items and the LLM's raw vectors under the current
/// calibration, as the loop does. At each such point it measures, on the items still open, the
/// accuracy of the strong tier's raw label, its calibrated label, the learner's label and the
/// combined pre-label.
enum OpinionReplayBenchmark {
    struct Point {
        var labelled: Int
        var open: Int
        var raw: Double, calibrated: Double, learner: Double?, combined: Double
        var source: String
        /// What `AutoAcceptThresholdSearch` would set from the combined pre-labels' outcomes so far,
        /// the share of open items at or above it, and their true error.
        var threshold: Double?
        var autoShare: Double
        var autoError: Double?
        var better: Double { max(calibrated, learner ?? 0) }
    }

    static func run(_ arguments: [String]) throws {
        var seeds = 3, step = 0, only: String?, advantage = OpinionCombiner.defaultRequiredAdvantage
        var datasets = "../shared/datasets", sampleData = "sample-data"
        var index = 0
        while index < arguments.count {
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch arguments[index] {
            case "--seeds": seeds = Int(value) ?? seeds
            case "--step": step = Int(value) ?? step
            case "--datasets": datasets = value
            case "--sample-data": sampleData = value
            case "--data": only = value
            case "--advantage": advantage = Double(value) ?? advantage
            default: throw BenchmarkError("unknown argument \(arguments[index])")
            }
            index += 2
        }
        var sets: [RecordedTierData] = []
        if only != "reviews" { sets.append(try RecordedTierData.trec(datasets: datasets)) }
        if only != "trec" { sets.append(try RecordedTierData.reviews(datasets: datasets, sampleData: sampleData)) }
        for data in sets {
            let stride = step > 0 ? step : (data.count >= 1000 ? 50 : 25)
            print("== \(data.name), refit every \(stride) labels, required advantage \(advantage) sd, accuracy on the items still open")
            var summary: [String] = []
            for seed in 1...UInt64(seeds) {
                let points = replay(data, seed: seed, step: stride, advantage: advantage)
                if seed == 1 {
                    print("labelled   open   LLM raw   LLM calibrated   learner   combined   combined − better   threshold  auto share  auto error   rule")
                    for point in points {
                        let learner = point.learner.map { String(format: "%.3f", $0) } ?? "  -  "
                        print(String(format: "%8d %6d     %.3f            %.3f     ", point.labelled, point.open, point.raw,
                                     point.calibrated) + learner
                              + String(format: "      %.3f             %+.3f   ", point.combined, point.combined - point.better)
                              + (point.threshold.map { String(format: "   %.3f", $0) } ?? "       -")
                              + String(format: "      %.3f", point.autoShare)
                              + (point.autoError.map { String(format: "       %.3f", $0) } ?? "           -")
                              + "     " + point.source)
                    }
                }
                let worst = points.min { $0.combined - $0.better < $1.combined - $1.better }!
                let best = points.max { $0.combined - $0.better < $1.combined - $1.better }!
                let aboveBoth = points.filter { $0.combined > $0.better }.count
                summary.append(String(format: "seed %d: worst combined − better %+.3f (at %d labels), best %+.3f (at %d), above both at %d of %d points",
                                      seed, worst.combined - worst.better, worst.labelled,
                                      best.combined - best.better, best.labelled, aboveBoth, points.count))
            }
            print(summary.joined(separator: "\n") + "\n")
        }
    }

    static func replay(_ data: RecordedTierData, seed: UInt64, step: Int, advantage: Double, minimumOpen: Int = 50) -> [Point] {
        var generator = SeededGenerator(seed: seed)
        let order = generator.shuffled(Array(0..<data.count))
        let labelCount = data.labels.count
        let featurizer = ItemFeaturizer(fitting: data.items)
        let vectorizer = featurizer.vectorizer
        let vectors = featurizer.vectors(for: data.items)
        var learner = TaskLearner(labelCount: labelCount, vectorizer: vectorizer)
        var evidence: [AutoAcceptThresholdSearch.Evidence] = []
        var points: [Point] = []
        var labelled = 0
        // As the routing pass refits it: the rule chosen last time is the one to unseat.
        var previousSource: CombinedPrelabel.Source?
        while labelled < data.count {
            let seen = Array(order.prefix(labelled))
            if labelled > 0 { learner.train(vectors: seen.map { vectors[$0] }, labels: seen.map { data.gold[$0] }) }
            let llmOutcomes = VerifiedOutcomes(model: "strong", outcomes: seen.map { item in
                VerifiedOutcomes.Outcome(itemId: Int64(item), probabilities: data.strong[item],
                                         predictedIndex: RecordedTierData.argmax(data.strong[item]), trueIndex: data.gold[item])
            })
            let calibration = (try? ModelCalibration.fit(llmOutcomes, seed: seed)) ?? .uncalibrated
            // The combiner is refitted with the calibration: its LLM inputs are the outcomes' raw
            // vectors under the calibration it will be used with, so fit and use see the same scale.
            // The learner is judged as the loop judges it: out of fold, as it is now.
            // On folds keyed to the items, as the loop's (`StableFolds`), salted by the seed.
            let outOfFold = labelled > 0 ? LabelErrorFinder.outOfFoldProbabilities(
                vectors: seen.map { vectors[$0] }, labels: seen.map { data.gold[$0] }, labelCount: labelCount,
                vectorizer: vectorizer, splits: StableFolds.splits(itemIds: seen.map(Int64.init), folds: QueueReranker.outOfFoldFolds,
                                                                  repeats: QueueReranker.outOfFoldRepeats(labels: seen.count), salt: seed),
                configuration: learner.configuration) : []
            let recalibrated = seen.enumerated().map { position, item in
                OpinionOutcome(llm: calibration.calibratedProbabilities(data.strong[item]), learner: outOfFold[position],
                               truth: data.gold[item])
            }
            let combiner = OpinionCombiner.fit(recalibrated, labelCount: labelCount, previous: previousSource,
                                               recentOutcomeLimit: RoutingPass.outOfFoldOutcomeLimit,
                                               requiredAdvantage: advantage, seed: seed)
            previousSource = combiner.source
            let trained = labelled > 0
            func opinions(_ item: Int) -> (llm: [Double], learner: [Double]?) {
                (calibration.calibratedProbabilities(data.strong[item]),
                 trained ? learner.probabilities(for: vectors[item]) : nil)
            }
            let open = Array(order.dropFirst(labelled))
            let threshold = AutoAcceptThresholdSearch().search(evidence).threshold
            if open.count >= minimumOpen {
                var raw = 0, calibrated = 0, fromLearner = 0, combined = 0, autoAccepted = 0, autoWrong = 0
                for item in open {
                    let (llm, learnerVector) = opinions(item)
                    let truth = data.gold[item]
                    if RecordedTierData.argmax(data.strong[item]) == truth { raw += 1 }
                    if calibration.calibratedPrediction(probabilities: data.strong[item]).index == truth { calibrated += 1 }
                    if let learnerVector, RecordedTierData.argmax(learnerVector) == truth { fromLearner += 1 }
                    let prelabel = combiner.combine(llm: llm, learner: learnerVector)
                    if prelabel?.index == truth { combined += 1 }
                    if let threshold, let prelabel, prelabel.confidence >= threshold {
                        autoAccepted += 1
                        if prelabel.index != truth { autoWrong += 1 }
                    }
                }
                let n = Double(open.count)
                points.append(Point(labelled: labelled, open: open.count, raw: Double(raw) / n, calibrated: Double(calibrated) / n,
                                    learner: trained ? Double(fromLearner) / n : nil, combined: Double(combined) / n,
                                    source: combiner.source.rawValue + " (\(calibration.calibrator.kind))",
                                    threshold: threshold, autoShare: Double(autoAccepted) / n,
                                    autoError: autoAccepted > 0 ? Double(autoWrong) / Double(autoAccepted) : nil))
            }
            // The next items are labelled with the opinions on hand now, which become outcomes.
            for item in open.prefix(step) {
                let (llm, learnerVector) = opinions(item)
                // Everything here goes to a person (the replay measures pre-labels, not routing), so
                // each combined pre-label becomes a verified outcome for the threshold search.
                if let prelabel = combiner.combine(llm: llm, learner: learnerVector) {
                    evidence.append(.init(confidence: prelabel.confidence, isCorrect: prelabel.index == data.gold[item]))
                }
            }
            labelled = min(labelled + step, data.count)
        }
        return points
    }
}
