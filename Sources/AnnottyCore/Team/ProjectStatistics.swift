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
    /// People's labels count as right at their golden accuracy (1 when unmeasured); auto-accepted
    /// ones at one minus the audit's error estimate (or the LLM's verified accuracy before any audit).
    public let estimatedDatasetAccuracy: Double?

    public init(store: any AnnotationStore, routing: RoutingSettings = RoutingSettings()) throws {
        counts = try store.statusCounts()
        usage = try store.predictionUsage()
        let decisions = try store.effectiveDecisions()
        let golden = try store.goldenItemIds()
        let gold = try store.goldLabels()

        var byAnnotator: [String: [Decision]] = [:]
        for decision in decisions where decision.kind.isHuman || decision.kind == .imported {
            byAnnotator[decision.annotator, default: []].append(decision)
        }
        annotators = byAnnotator.keys.sorted().map { name in
            let own = byAnnotator[name]!
            let labelled = own.filter { [.accept, .correct, .audit, .adjudicate, .imported].contains($0.kind) }
            let timed = own.filter { $0.timeSpentMs > 0 && $0.kind != .imported }.map { Double($0.timeSpentMs) / 1000 }.sorted()
            let goldenAnswers = labelled.filter { golden.contains($0.itemId) && gold[$0.itemId] != nil }
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

        if decided > 0 {
            let goldenTotals = annotators.reduce((0, 0)) { ($0.0 + $1.goldenAnswered, $0.1 + $1.goldenCorrect) }
            let peopleAccuracy = goldenTotals.0 > 0 ? Double(goldenTotals.1) / Double(goldenTotals.0) : 1
            let autoAccuracy = audit.map { 1 - $0.errorRate } ?? llmAccuracyOnVerified ?? 1
            estimatedDatasetAccuracy = (Double(counts.labelledByPeople) * peopleAccuracy + Double(counts.autoAccepted) * autoAccuracy)
                / Double(decided)
        } else {
            estimatedDatasetAccuracy = nil
        }
    }
}
