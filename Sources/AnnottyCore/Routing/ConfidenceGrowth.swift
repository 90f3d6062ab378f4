import Foundation

/// How the open items' pooled confidences rise as people's labels accrue and the task learner
/// improves, for `LoopForecast`. Measured, not assumed: the learner retrained on the first half
/// of people's labels (in the order they were given) against the learner trained on all of them,
/// each pooled with the LLM's opinion under today's calibration, on today's open items. The rise
/// at each rank of the open items (quantile against quantile, in log-odds) is what one more
/// doubling of the labels is forecast to add again.
///
/// Why log-odds per doubling: a learning curve's error falls roughly as a power of the labels,
/// by about the same factor each time they double, and near certainty log-odds track the log of
/// the error. Quantile against quantile rather than item by item: one item's opinion swings
/// between two trainings, the shape of the open items' confidences much less.
///
/// On TREC-6 halfway (440 labels) the loop then sent 308 of the 622 open items to people, its
/// learner's accuracy on the open items rising from about 0.79 to 0.93; forecast without the
/// growth 402 (399–445), with it 368 (365–412): closer, still short (docs/model-in-the-loop.md).
public struct ConfidenceGrowth: Sendable, Equatable {
    /// People's labels the learner had now, and at the earlier measurement.
    public let labelsNow: Int
    public let labelsBefore: Int
    /// The rise in log-odds over one step from `labelsBefore` to `labelsNow`, at each rank of
    /// the measured items' confidences now, lowest first.
    public let logOddsRiseByRank: [Double]
    /// The measured items' median pooled confidence with the learner as it was before, and now.
    public let medianBefore: Double
    public let medianNow: Double

    /// At most this many open items are measured (evenly spread over them): two trainings and
    /// their opinions on every item of a very large project would keep `annotty plan` waiting.
    static let sampleLimit = 5_000
    /// Above this many people's labels the growth is not measured (`measure(store:…)`).
    public static let labelLimit = 5_000

    /// - Parameters:
    ///   - now: the measured items' pooled confidences with the learner trained on `labelsNow` labels.
    ///   - before: the same items' pooled confidences with the learner trained on `labelsBefore`.
    /// - Returns: nil where there is no step to measure (no fewer labels before, or no items).
    public static func measure(now: [Double], before: [Double], labelsNow: Int, labelsBefore: Int) -> ConfidenceGrowth? {
        guard now.count == before.count, !now.isEmpty, labelsBefore > 0, labelsNow > labelsBefore else { return nil }
        let sortedNow = now.sorted(), sortedBefore = before.sorted()
        let rises = zip(sortedNow, sortedBefore).map { LogOdds.of($0) - LogOdds.of($1) }
        return ConfidenceGrowth(labelsNow: labelsNow, labelsBefore: labelsBefore, logOddsRiseByRank: rises,
                                medianBefore: sortedBefore[sortedBefore.count / 2], medianNow: sortedNow[sortedNow.count / 2])
    }

    public init(labelsNow: Int, labelsBefore: Int, logOddsRiseByRank: [Double], medianBefore: Double = 0, medianNow: Double = 0) {
        self.labelsNow = labelsNow
        self.labelsBefore = labelsBefore
        self.logOddsRiseByRank = logOddsRiseByRank
        self.medianBefore = medianBefore
        self.medianNow = medianNow
    }

    /// Each of `confidences` takes the rise measured at its own rank among them (its quantile).
    public func risesPerStep(for confidences: [Double]) -> [Double] {
        guard !logOddsRiseByRank.isEmpty else { return confidences.map { _ in 0 } }
        var rises = [Double](repeating: 0, count: confidences.count)
        for (rank, index) in confidences.indices.sorted(by: { confidences[$0] < confidences[$1] }).enumerated() {
            rises[index] = logOddsRiseByRank[(2 * rank + 1) * logOddsRiseByRank.count / (2 * confidences.count)]
        }
        return rises
    }

    /// Steps taken once people have given `labels` in all: log(labels / now) over log(now / before),
    /// so one step at `labelsNow × labelsNow / labelsBefore`.
    public func steps(atLabels labels: Int) -> Double {
        guard labels > labelsNow else { return 0 }
        return log(Double(labels) / Double(labelsNow)) / log(Double(labelsNow) / Double(labelsBefore))
    }

    /// A confidence after `steps` of `risePerStep`. No usable pre-label (confidence 0) stays at 0.
    public static func grown(_ confidence: Double, risePerStep: Double, steps: Double) -> Double {
        guard confidence > 0, steps > 0 else { return confidence }
        return LogOdds.probability(LogOdds.of(confidence) + steps * risePerStep)
    }
}

extension ConfidenceGrowth {
    /// Measured on a project: people's labels in the order given (as the learner trains on them,
    /// `train_on_auto_accepted` included), the learner retrained on all and on the first half, each
    /// opinion pooled with the item's latest pre-label under its tier's calibration. Nil for fewer
    /// than 20 labels, or more than `labelLimit` (two more trainings on them would keep `annotty
    /// plan` waiting, and a learner with that many labels gains little from more). A project whose
    /// pooled confidences do not use the learner gets rises of 0.
    public static func measure(store: any AnnotationStore, config: ProjectConfig, calibrations: [String: ModelCalibration],
                               openIds: [Int64], predictions: [Int64: Prediction]) throws -> ConfidenceGrowth? {
        guard config.task == .single else { return nil }
        let reranker = QueueReranker(config: config)
        let finals = try store.finalLabels()
        var seen = Set<Int64>()
        let trainingIds = try store.effectiveDecisions().compactMap { decision -> Int64? in
            guard let final = finals[decision.itemId], reranker.trainsOn(final), seen.insert(decision.itemId).inserted else { return nil }
            return decision.itemId
        }
        guard trainingIds.count >= 20, trainingIds.count <= labelLimit else { return nil }
        let usable = openIds.filter { itemId in
            predictions[itemId].map { $0.isValid && calibrations[$0.model] != nil } ?? false
        }
        let stride = max(1, (usable.count + sampleLimit - 1) / sampleLimit)
        let sample = Swift.stride(from: 0, to: usable.count, by: stride).map { usable[$0] }
        let allLabels = try reranker.opinions(store: store, on: sample, trainedOn: trainingIds)
        let halfLabels = try reranker.opinions(store: store, on: sample, trainedOn: Array(trainingIds.prefix(trainingIds.count / 2)))
        guard !allLabels.isEmpty, !halfLabels.isEmpty else { return nil }
        func pooled(_ opinions: [Int64: [Double]]) -> [Double] {
            sample.map { itemId in
                let prediction = predictions[itemId]!
                return calibrations[prediction.model]!.calibratedValue(prediction, learner: opinions[itemId])?.confidence ?? 0
            }
        }
        return measure(now: pooled(allLabels), before: pooled(halfLabels), labelsNow: trainingIds.count,
                       labelsBefore: trainingIds.count / 2)
    }
}
