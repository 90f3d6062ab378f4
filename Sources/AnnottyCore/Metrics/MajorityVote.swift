/// Majority vote over crowd labels with an explicit tie rule.
public struct MajorityVote: Sendable {
    public let classCount: Int
    public let tieRule: MajorityTieRule
    /// `[item][class]` vote counts.
    public let voteCounts: [[Int]]
    /// The chosen class per item; nil for an item with no votes.
    public let labels: [Int?]

    /// - Parameters:
    ///   - itemCount: number of items (default `max(item) + 1`); items without votes get a nil label.
    ///   - classCount: number of classes (default `max(label) + 1`).
    /// - Throws: `MetricsError.labelOutOfRange` / `.invalidArgument` for indices outside the counts.
    public init(_ annotations: [CrowdLabel], itemCount: Int? = nil, classCount: Int? = nil,
                tieRule: MajorityTieRule = .lowestClass) throws {
        let classes = classCount ?? annotations.impliedClassCount
        let counts = try annotations.voteCounts(itemCount: itemCount ?? annotations.impliedItemCount,
                                                classCount: classes)
        var generator: SeededGenerator?
        if case .random(let seed) = tieRule { generator = SeededGenerator(seed: seed) }
        var chosen: [Int?] = []
        chosen.reserveCapacity(counts.count)
        for row in counts {
            let winners = Self.winners(row)
            guard let lowest = winners.first, let highest = winners.last else {
                chosen.append(nil)
                continue
            }
            guard winners.count > 1 else {
                chosen.append(lowest)
                continue
            }
            switch tieRule {
            case .lowestClass: chosen.append(lowest)
            case .highestClass: chosen.append(highest)
            case .preferredClass(let preferred): chosen.append(winners.contains(preferred) ? preferred : lowest)
            case .random:
                let pick = generator?.nextIndex(below: winners.count) ?? 0
                chosen.append(winners[pick])
            }
        }
        self.classCount = classes
        self.tieRule = tieRule
        self.voteCounts = counts
        self.labels = chosen
    }

    static func winners(_ row: [Int]) -> [Int] {
        guard let top = row.max(), top > 0 else { return [] }
        return row.indices.filter { row[$0] == top }
    }

    /// The classes with the top vote count for `item`, ascending; empty when it has no votes.
    public func winners(of item: Int) -> [Int] { Self.winners(voteCounts[item]) }

    /// Number of items whose top vote count is shared by two or more classes.
    public var tiedItemCount: Int { voteCounts.reduce(0) { $0 + (Self.winners($1).count > 1 ? 1 : 0) } }

    /// Vote shares per item (counts over the item's votes); zeros for an item with no votes.
    /// Builds every row: read it once, or use `shares(ofItem:)` inside a loop over items.
    public var shares: [[Double]] { voteCounts.indices.map(shares(ofItem:)) }

    /// One item's vote shares, in O(classes).
    public func shares(ofItem item: Int) -> [Double] {
        let row = voteCounts[item]
        let total = Double(row.reduce(0, +))
        return row.map { total == 0 ? 0 : Double($0) / total }
    }

    /// The vote share of the chosen label per item: the "vote share" confidence of majority vote.
    /// With ten votes it is a multiple of 0.1 in [0.5, 1] for binary tasks, so it sits on bin edges
    /// of a 10-bin reliability diagram; nil for items with no votes.
    public var confidences: [Double?] {
        zip(voteCounts, labels).map { row, label in
            guard let label else { return nil }
            return Double(row[label]) / Double(row.reduce(0, +))
        }
    }

    /// Fraction of items whose chosen label equals gold, over items with both a label and a gold label.
    /// - Throws: `MetricsError.lengthMismatch` when `gold` has another item count, `.empty` when no item counts.
    public func accuracy(against gold: [Int?]) throws -> Double {
        try fractionalAccuracy(against: gold) { item, label, truth in label == truth ? 1 : 0 }
    }

    /// Accuracy giving a tied item 1/k credit when gold is among its k tied classes (half credit for a
    /// two-way tie), whatever the tie rule chose; untied items score 1 or 0 as usual.
    public func splitCreditAccuracy(against gold: [Int?]) throws -> Double {
        try fractionalAccuracy(against: gold) { item, _, truth in
            let winners = self.winners(of: item)
            return winners.contains(truth) ? 1 / Double(winners.count) : 0
        }
    }

    /// Confidence/correctness pairs for calibration: confidence = vote share of the chosen label
    /// (`confidences`), correct = chosen label == gold; items lacking either are left out.
    public func calibrationPairs(against gold: [Int?]) throws -> (confidences: [Double], correct: [Bool]) {
        guard gold.count == labels.count else { throw MetricsError.lengthMismatch(gold.count, labels.count) }
        var confidenceValues: [Double] = []
        var correctness: [Bool] = []
        for (item, (label, confidence)) in zip(labels, confidences).enumerated() {
            guard let label, let confidence, let truth = gold[item] else { continue }
            confidenceValues.append(confidence)
            correctness.append(label == truth)
        }
        return (confidenceValues, correctness)
    }

    private func fractionalAccuracy(against gold: [Int?], credit: (Int, Int, Int) -> Double) throws -> Double {
        guard gold.count == labels.count else { throw MetricsError.lengthMismatch(gold.count, labels.count) }
        var score = 0.0
        var counted = 0
        for (item, label) in labels.enumerated() {
            guard let label, let truth = gold[item] else { continue }
            score += credit(item, label, truth)
            counted += 1
        }
        guard counted > 0 else { throw MetricsError.empty }
        return score / Double(counted)
    }
}
