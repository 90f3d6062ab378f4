import Foundation

/// Inter-annotator agreement in a multi-label project (`annotty stats --agreement`): Krippendorff's
/// alpha over whole sets with the MASI and the Jaccard distance, and each label as a yes/no question
/// (leaving a label out of a set is a "no"): Fleiss' kappa per label and Cohen's kappa per label for
/// each pair of people.
public struct MultiLabelAgreementReport: Sendable {
    public struct PairAgreement: Sendable, Equatable {
        public var first: String
        public var second: String
        public var sharedItems: Int
        /// Share of shared items both gave exactly the same set.
        public var sameSet: Double
        /// Cohen's kappa per label (label order); NaN where undefined (neither ever gave the label,
        /// or both always did).
        public var kappas: [Double]
    }

    public let labels: LabelSet
    public let itemCount: Int
    public let annotatorCount: Int
    public let answerCount: Int
    /// Alpha over sets per distance; nil with fewer than two answers to pair.
    public let alpha: [LabelSetDistance: Double]
    /// Fleiss needs the same number of raters per item: computed over items with the most common
    /// count (at least two). Per label; nil when no item has two raters.
    public let fleissKappas: [Double]?
    public let fleissItems: Int
    public let fleissRaters: Int
    public let pairs: [PairAgreement]

    /// - Parameter minimumShared: pairs of people sharing fewer items are left out of Cohen's table.
    public init(store: any AnnotationStore, labels: LabelSet, minimumShared: Int = 2) throws {
        self.labels = labels
        let team = try MultiLabelTeamLabels(store: store, labels: labels)
        itemCount = team.itemCount
        annotatorCount = team.annotatorCount
        answerCount = team.answers.count
        var alpha: [LabelSetDistance: Double] = [:]
        for distance in LabelSetDistance.allCases {
            alpha[distance] = try? LabelSetAlpha.alpha(team.answers, distance: distance)
        }
        self.alpha = alpha

        var raterCounts = Array(repeating: 0, count: team.itemCount)
        for answer in team.answers { raterCounts[answer.item] += 1 }
        let histogram = Dictionary(grouping: raterCounts.filter { $0 >= 2 }, by: { $0 }).mapValues(\.count)
        if let (raters, items) = histogram.max(by: { $0.value == $1.value ? $0.key > $1.key : $0.value < $1.value }) {
            let chosen = team.answers.filter { raterCounts[$0.item] == raters }
            fleissKappas = try? PerLabelAgreement.fleissKappa(chosen, labelCount: labels.count)
            fleissItems = items
            fleissRaters = raters
        } else {
            fleissKappas = nil
            fleissItems = 0
            fleissRaters = 0
        }

        var byAnnotator = Array(repeating: [Int: Set<Int>](), count: team.annotatorCount)
        for answer in team.answers { byAnnotator[answer.annotator][answer.item] = answer.labels }
        var pairs: [PairAgreement] = []
        for first in 0..<team.annotatorCount {
            for second in (first + 1)..<max(first + 1, team.annotatorCount) {
                let shared = byAnnotator[first].keys.filter { byAnnotator[second][$0] != nil }.sorted()
                guard shared.count >= max(1, minimumShared) else { continue }
                let a = shared.map { byAnnotator[first][$0]! }, b = shared.map { byAnnotator[second][$0]! }
                let same = zip(a, b).filter { $0 == $1 }.count
                let kappas = (try? PerLabelAgreement.cohenKappa(a, b, labelCount: labels.count))
                    ?? Array(repeating: .nan, count: labels.count)
                pairs.append(PairAgreement(first: team.annotators[first], second: team.annotators[second], sharedItems: shared.count,
                                           sameSet: Double(same) / Double(shared.count), kappas: kappas))
            }
        }
        self.pairs = pairs.sorted { ($0.sharedItems, $1.first, $1.second) > ($1.sharedItems, $0.first, $0.second) }
    }

    public func render(maxPairs: Int = 10) -> String {
        func figure(_ value: Double?) -> String {
            guard let value, value.isFinite else { return "—" }
            return DecimalFormat.fixed(value, places: 3)
        }
        func padded(_ text: String, _ width: Int) -> String {
            String(repeating: " ", count: max(0, width - text.count)) + text
        }
        var out = "Agreement over \(counted(itemCount, "item")), \(counted(annotatorCount, "annotator")), \(counted(answerCount, "label set")) "
            + "(multi-label: whole sets, then each label as a yes/no question)\n\n"
        out += "Krippendorff's alpha, MASI distance     \(figure(alpha[.masi]))\n"
        out += "Krippendorff's alpha, Jaccard distance  \(figure(alpha[.jaccard]))\n"
        out += "(MASI counts nested sets, such as {joy} and {joy, surprise}, closer than merely overlapping ones)\n\n"
        let nameWidth = max(6, labels.names.map { TerminalSafeText.singleLine($0, limit: 24).count }.max() ?? 6)
        if let fleissKappas {
            out += "Fleiss' kappa per label (\(fleissItems) items with \(fleissRaters) raters each)\n"
            for (index, name) in labels.names.enumerated() {
                out += "  " + TerminalSafeText.singleLine(name, limit: 24).padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                out += "  " + padded(figure(fleissKappas[index]), 6) + "\n"
            }
        } else {
            out += "Fleiss' kappa per label: — (no item has two or more raters)\n"
        }
        if !pairs.isEmpty {
            out += "\nCohen's kappa per label by pair (\(pairs.count) pairs; the \(min(maxPairs, pairs.count)) with most shared items)\n"
            for pair in pairs.prefix(maxPairs) {
                out += TerminalSafeText.singleLine(pair.first, limit: 20) + " and " + TerminalSafeText.singleLine(pair.second, limit: 20)
                out += ": \(pair.sharedItems) shared items, the same set on \(figure(pair.sameSet))\n"
                for (index, name) in labels.names.enumerated() {
                    out += "  " + TerminalSafeText.singleLine(name, limit: 24).padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                    out += "  " + padded(figure(pair.kappas[index]), 6) + "\n"
                }
            }
        }
        out += "(— where a figure is undefined: a label nobody gave, or everybody always gave)\n"
        return out
    }
}
