import Foundation

/// The figures `annotty stats` reports: throughput per person, golden-question accuracy, the
/// LLM's cost and accuracy on verified outcomes, human effort saved, and the audit estimate.
public struct ProjectStatistics: Sendable {
    public struct AnnotatorFigures: Sendable, Equatable {
        public var name: String
        public var labels: Int
        public var skips: Int
        public var medianSecondsPerItem: Double?
        public var itemsPerHour: Double?
        public var goldenAnswered: Int
        public var goldenCorrect: Int
        public var goldenAccuracy: Double? { goldenAnswered == 0 ? nil : Double(goldenCorrect) / Double(goldenAnswered) }
    }

    public let counts: StatusCounts
    public let annotators: [AnnotatorFigures]
    public let usage: PredictionUsage
    /// Shown pre-labels that a person then accepted or corrected.
    public let verifiedOutcomes: Int
    public let llmAccuracyOnVerified: Double?
    /// Auto-accepted items as a share of all decided items.
    public let effortSaved: Double?
    public let audit: AuditEstimate?
    /// How right the final labels are, with what that rests on; unknown where nothing checks them.
    public let datasetAccuracy: DatasetAccuracyEstimate
    public var estimatedDatasetAccuracy: Double? { datasetAccuracy.accuracy }

    public init(store: any AnnotationStore, routing: RoutingSettings = RoutingSettings()) throws {
        counts = try store.statusCounts()
        usage = try store.predictionUsage()
        let decisions = try store.effectiveDecisions()
        let gold = try store.goldLabels()

        var byAnnotator: [String: [Decision]] = [:]
        for decision in decisions where decision.kind.isHuman || decision.kind == .imported {
            byAnnotator[decision.annotator, default: []].append(decision)
        }
        annotators = byAnnotator.keys.sorted().map { name in
            let own = byAnnotator[name]!
            let labelled = own.filter { [.accept, .correct, .audit, .adjudicate, .imported].contains($0.kind) }
            let timed = own.filter { $0.timeSpentMs > 0 && $0.kind != .imported }.map { Double($0.timeSpentMs) / 1000 }.sorted()
            // Any item with a known answer measures a person: golden questions, and gold
            // imported with `import-annotations --gold-column`.
            let goldenAnswers = labelled.filter { gold[$0.itemId] != nil }
            let totalSeconds = timed.reduce(0, +)
            return AnnotatorFigures(
                name: name, labels: labelled.count, skips: own.filter { $0.kind == .skip }.count,
                medianSecondsPerItem: timed.isEmpty ? nil : timed[timed.count / 2],
                itemsPerHour: totalSeconds > 0 ? Double(timed.count) / totalSeconds * 3600 : nil,
                goldenAnswered: goldenAnswers.count,
                goldenCorrect: goldenAnswers.filter { $0.label == gold[$0.itemId] }.count)
        }

        let verified = decisions.filter { ($0.kind == .accept || $0.kind == .correct) && $0.shownLabel != nil && $0.shownSource != nil }
        verifiedOutcomes = verified.count
        llmAccuracyOnVerified = verified.isEmpty ? nil
            : Double(verified.filter { $0.label == $0.shownLabel }.count) / Double(verified.count)
        let decided = counts.autoAccepted + counts.labelledByPeople
        effortSaved = decided == 0 ? nil : Double(counts.autoAccepted) / Double(decided)
        audit = try AuditEstimate(decisions: decisions, targetErrorRate: routing.auditTargetErrorRate)

        var checked = 0
        var matching = 0
        // The labels an export writes (a stored aggregate where there is one), not the queue's plurality.
        for (itemId, final) in try FinalLabelRule.auto.finalLabels(store: store) where final.kind != .auto {
            guard let answer = gold[itemId] else { continue }
            checked += 1
            if final.label == answer { matching += 1 }
        }
        datasetAccuracy = DatasetAccuracyEstimate(
            peopleLabelled: counts.labelledByPeople, peopleCheckedAgainstGold: checked, peopleMatchingGold: matching,
            autoAccepted: counts.autoAccepted, audit: audit, verifiedPreLabels: verifiedOutcomes,
            llmAccuracyOnVerified: llmAccuracyOnVerified)
    }
}
