import Foundation

/// People's labels that look wrong, for `annotty review --suspects` and the count in `stats`:
/// confident learning (`LabelErrorFinder`) over the items people labelled, with out-of-fold
/// probabilities of the task learner (each item scored by a learner that never saw its label),
/// averaged with the model's calibrated probabilities where the item has a valid pre-label.
///
/// What is judged: each item's final label from people (accepted, corrected, audited,
/// adjudicated or imported; never an auto-accept). Items a reviewer has ruled on (an
/// `adjudicate` decision, as `review --suspects` records) are learned from but never flagged
/// again: a reviewer's word is final, so a suspect answered once does not come back.
public struct SuspectDecisions: Sendable {
    /// One item whose label looks wrong.
    public struct Suspect: Sendable, Equatable {
        public var itemId: Int64
        /// The item's final label from people.
        public var givenLabel: String
        /// The label the probabilities point to instead.
        public var suggestedLabel: String
        /// Probability of the given label (lower is more suspect), out of fold.
        public var givenLabelProbability: Double
        public var suggestedLabelProbability: Double
        /// Whether the model's opinion was averaged in (else the learner's alone).
        public var includesModelOpinion: Bool

        public init(itemId: Int64, givenLabel: String, suggestedLabel: String, givenLabelProbability: Double,
                    suggestedLabelProbability: Double, includesModelOpinion: Bool) {
            self.itemId = itemId
            self.givenLabel = givenLabel
            self.suggestedLabel = suggestedLabel
            self.givenLabelProbability = givenLabelProbability
            self.suggestedLabelProbability = suggestedLabelProbability
            self.includesModelOpinion = includesModelOpinion
        }
    }

    /// Fewer items labelled by people than this: nothing is judged. Five folds of four items
    /// each is the least a learner can be trained and tested on; below it every opinion is noise.
    public static let minimumDecisions = 20
    /// `stats` looks for suspects only up to this many labelled items (`stats --suspects` at any
    /// size): the five learners took about 15 s per thousand labelled TREC questions in a debug
    /// build on the shared 2-core machine (1.5 s for 100), and `stats` should answer quickly.
    public static let statsLimit = 1_000

    /// Items labelled by people (the decisions judged).
    public let judged: Int
    /// Most suspect first (lowest probability of the given label).
    public let suspects: [Suspect]
    /// Why nothing was judged (too few decisions, a single label), for a person; nil when judged.
    public let notJudged: String?
    /// Items whose model opinion was averaged in.
    public let withModelOpinion: Int

    public init(judged: Int, suspects: [Suspect], notJudged: String?, withModelOpinion: Int) {
        self.judged = judged
        self.suspects = suspects
        self.notJudged = notJudged
        self.withModelOpinion = withModelOpinion
    }

    /// Looks for suspects among the project's labelled items.
    /// - Parameters:
    ///   - model: whose stored pre-labels to average in (the project's `[llm] model`); nil: the learner alone.
    ///   - seed: the folds' shuffle (the same seed flags the same items).
    public static func find(store: any AnnotationStore, labels: LabelSet, model: String?,
                            method: LabelErrorFinder.Method = LabelErrorFinder.defaultMethod, folds: Int = 5,
                            seed: UInt64 = 0) throws -> SuspectDecisions {
        let finals = try store.finalLabels().filter { $0.value.kind != .auto && labels.contains($0.value.label) }
        let itemIds = finals.keys.sorted()
        guard itemIds.count >= minimumDecisions else {
            return SuspectDecisions(judged: itemIds.count, suspects: [], notJudged: tooFew(itemIds.count), withModelOpinion: 0)
        }
        let given = itemIds.map { labels.index(of: finals[$0]!.label)! }
        guard Set(given).count >= 2 else {
            return SuspectDecisions(judged: itemIds.count, suspects: [],
                                    notJudged: "every labelled item has the same label: nothing to compare a label against",
                                    withModelOpinion: 0)
        }
        let itemById = Dictionary(uniqueKeysWithValues: try store.items(ids: itemIds).map { ($0.id, $0) })
        let items = itemIds.map { itemById[$0] ?? Item(id: $0, text: "") }
        let featurizer = ItemFeaturizer(fitting: items)
        let learner = LabelErrorFinder.outOfFoldProbabilities(vectors: featurizer.vectors(for: items), labels: given,
                                                              labelCount: labels.count, vectorizer: featurizer.vectorizer,
                                                              folds: folds, seed: seed)
        var modelOpinions = [[Double]?](repeating: nil, count: itemIds.count)
        if let model {
            let calibration = try ModelCalibration.load(store: store, model: model)
            let predictions = try store.latestPredictions(itemIds: itemIds)
            for (index, itemId) in itemIds.enumerated() {
                guard let prediction = predictions[itemId], prediction.model == model, prediction.isValid,
                      prediction.source != .imported else { continue }
                let raw = prediction.vector(over: labels)
                guard raw.reduce(0, +) > 0 else { continue }
                modelOpinions[index] = calibration.calibratedProbabilities(raw)
            }
        }
        let probabilities = LabelErrorFinder.averaged(learner, with: modelOpinions)
        let ruled = Set(finals.filter { $0.value.kind == .adjudicate }.keys)
        let suspects = LabelErrorFinder(method: method)
            .find(probabilities: probabilities, givenLabels: given, labelCount: labels.count)
            .filter { !ruled.contains(itemIds[$0.index]) }
            .map { found in
                Suspect(itemId: itemIds[found.index], givenLabel: labels.names[found.givenLabel],
                        suggestedLabel: labels.names[found.suggestedLabel], givenLabelProbability: found.givenLabelProbability,
                        suggestedLabelProbability: found.suggestedLabelProbability,
                        includesModelOpinion: modelOpinions[found.index] != nil)
            }
        return SuspectDecisions(judged: itemIds.count, suspects: suspects, notJudged: nil,
                                withModelOpinion: modelOpinions.filter { $0 != nil }.count)
    }

    static func tooFew(_ count: Int) -> String {
        "too few decisions to look for label errors: \(count) item\(count == 1 ? "" : "s") labelled by people, "
            + "at least \(minimumDecisions) needed"
    }

    /// The line `annotty stats` prints: the count, or why there is none. Over `statsLimit`
    /// labelled items it does not train the learners (say so and name the command that does).
    public static func statsLine(store: any AnnotationStore, labels: LabelSet, model: String?,
                                 limit: Int = statsLimit) throws -> String {
        let caption = "likely label errors     "
        let labelled = try store.finalLabels().filter { $0.value.kind != .auto && labels.contains($0.value.label) }.count
        if labelled > limit {
            return caption + "not counted above \(limit) labelled items (\(labelled) here): "
                + "annotty stats --suspects counts them, annotty review --suspects walks them"
        }
        let found = try find(store: store, labels: labels, model: model)
        if let reason = found.notJudged { return caption + reason }
        return caption + "\(found.suspects.count) of \(found.judged) decisions (review with: annotty review --suspects)"
    }

    /// The suspects as items for the review screen: the suggested label as the pre-label (Enter
    /// takes it), each person's label as a vote (the given label's tally), the model's label beside.
    public func reviewItems(store: any AnnotationStore) throws -> [QueuedItem] {
        let ids = suspects.map(\.itemId)
        let items = Dictionary(uniqueKeysWithValues: try store.items(ids: ids).map { ($0.id, $0) })
        let predictions = try store.latestPredictions(itemIds: ids)
        var votes: [Int64: [String: Decision]] = [:]
        let wanted = Set(ids)
        for decision in try store.effectiveDecisions() where wanted.contains(decision.itemId) {
            guard decision.kind.carriesLabel, decision.kind != .auto, decision.label != nil else { continue }
            votes[decision.itemId, default: [:]][decision.annotator] = decision
        }
        return suspects.compactMap { suspect in
            guard let item = items[suspect.itemId] else { return nil }
            let people = (votes[item.id] ?? [:]).values.sorted { $0.id < $1.id }
                .map { ItemVote(annotator: $0.annotator, label: $0.label!) }
            var modelLabel: String?
            if let prediction = predictions[item.id], prediction.isValid, prediction.source != .imported {
                modelLabel = prediction.shownLabel
            }
            let shown = Prediction(itemId: item.id, model: Self.suggestionName(given: suspect.givenLabel), source: .imported,
                                   label: suspect.suggestedLabel,
                                   probabilities: [suspect.suggestedLabel: suspect.suggestedLabelProbability,
                                                   suspect.givenLabel: suspect.givenLabelProbability])
            return QueuedItem(item: item, prediction: shown,
                              opinions: people.map { "\($0.annotator): \($0.label)" } + (modelLabel.map { ["LLM: \($0)"] } ?? []),
                              votes: people, modelLabel: modelLabel)
        }
    }

    /// What the review screen shows after the suggested label ("Suggested ▸ positive  given negative").
    public static func suggestionName(given: String) -> String {
        "given " + given
    }
}
