import Foundation

/// What an audit works on: the auto-accepted items, which of them people have checked, and the
/// random sample still to show.
public struct AuditPlan: Sendable {
    public struct AutoAccepted: Sendable, Equatable {
        public var itemId: Int64
        public var decisionId: Int64
        public var label: String
        /// The calibrated confidence the router accepted it with.
        public var confidence: Double
        /// The label an auditor gave, if audited.
        public var auditedLabel: String?
        public var isError: Bool? { auditedLabel.map { $0 != label } }

        public init(itemId: Int64, decisionId: Int64, label: String, confidence: Double, auditedLabel: String?) {
            self.itemId = itemId
            self.decisionId = decisionId
            self.label = label
            self.confidence = confidence
            self.auditedLabel = auditedLabel
        }
    }

    public enum Sampling: String, Sendable, CaseIterable {
        /// Every unaudited auto-accepted item equally likely.
        case uniform
        /// The same number from each confidence band, so rare low-confidence accepts are seen.
        case stratified
    }

    public let items: [AutoAccepted]

    public init(items: [AutoAccepted]) {
        self.items = items
    }

    public init(store: any AnnotationStore) throws {
        var autos: [Int64: AutoAccepted] = [:]
        var audits: [Int64: String] = [:]
        for decision in try store.effectiveDecisions() {
            if decision.kind == .auto, let label = decision.label {
                autos[decision.itemId] = AutoAccepted(itemId: decision.itemId, decisionId: decision.id, label: label,
                                                      confidence: decision.shownConfidence ?? 0, auditedLabel: nil)
            } else if decision.kind == .audit, let label = decision.label {
                audits[decision.itemId] = label
            }
        }
        items = autos.values.map { item in
            var item = item
            item.auditedLabel = audits[item.itemId]
            return item
        }.sorted { $0.itemId < $1.itemId }
    }

    public var audited: [AutoAccepted] { items.filter { $0.auditedLabel != nil } }

    /// Confidence bands used for stratified sampling (upper bounds inclusive of 1).
    public static let bandEdges: [Double] = [0, 0.97, 0.99, 1.0000001]

    /// Unaudited items to show, `count` at most, drawn with a seeded generator.
    public func sample(count: Int, sampling: Sampling, seed: UInt64) -> [AutoAccepted] {
        var generator = SeededGenerator(seed: seed)
        let pool = items.filter { $0.auditedLabel == nil }
        switch sampling {
        case .uniform:
            return Array(generator.shuffled(pool).prefix(count))
        case .stratified:
            var bands: [[AutoAccepted]] = []
            for index in 0..<(Self.bandEdges.count - 1) {
                bands.append(generator.shuffled(pool.filter { $0.confidence >= Self.bandEdges[index] && $0.confidence < Self.bandEdges[index + 1] }))
            }
            var chosen: [AutoAccepted] = []
            var round = 0
            while chosen.count < count, bands.contains(where: { $0.count > round }) {
                for band in bands where band.count > round && chosen.count < count { chosen.append(band[round]) }
                round += 1
            }
            return chosen
        }
    }

    public func estimate(targetErrorRate: Double) throws -> AuditEstimate? {
        let audited = self.audited
        guard !audited.isEmpty else { return nil }
        return try AuditEstimate(audited: audited.count, errors: audited.filter { $0.isError == true }.count,
                                 targetErrorRate: targetErrorRate)
    }

    /// The lowest auto-accept threshold, at or above `current`, whose audited accepts have a 95%
    /// Wilson upper bound on the error rate at or below `target`; 1 (nothing auto-accepted) when
    /// no threshold does. Nil when the audits already bound the whole set below the target.
    public func proposedThreshold(current: Double, target: Double) throws -> Double? {
        let audited = self.audited
        guard let estimate = try estimate(targetErrorRate: target), estimate.upper > target else { return nil }
        let candidates = Set(audited.map(\.confidence).filter { $0 > current }).sorted()
        for threshold in candidates {
            let above = audited.filter { $0.confidence >= threshold }
            let errors = above.filter { $0.isError == true }.count
            let interval = try BinomialInterval(successes: errors, trials: above.count, confidence: 0.95, method: .wilson)
            if interval.upper <= target { return threshold }
        }
        return 1
    }

    /// Auto-accepted items below a new threshold, which go back to people.
    public func itemsBelow(threshold: Double) -> [AutoAccepted] {
        items.filter { $0.confidence < threshold && $0.auditedLabel == nil }
    }
}
