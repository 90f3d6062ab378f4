import Foundation

/// Inter-annotator agreement over a project's labels: Fleiss, Krippendorff (four levels, with
/// missing labels), Cohen for each pair, and the LLM against people with a per-label confusion.
public struct AgreementReport: Sendable {
    public struct PairAgreement: Sendable, Equatable {
        public var first: String
        public var second: String
        public var sharedItems: Int
        public var percentAgreement: Double
        public var kappa: Double
        public var linearKappa: Double
        public var quadraticKappa: Double
    }

    public struct ModelAgreement: Sendable {
        public var items: Int
        public var percentAgreement: Double
        public var kappa: Double
        /// Rows: the model's label; columns: the people's final label.
        public var confusion: ConfusionMatrix<String>
        /// The LLM scored as the prediction against people's final labels as the reference:
        /// precision divides by a row of `confusion` (what the LLM said), recall by a column.
        public var perLabel: [LabelAgreement<String>]
    }

    public let labels: LabelSet
    public let itemCount: Int
    public let annotatorCount: Int
    public let labelCount: Int
    /// Fleiss needs the same number of raters per item: computed over items with the most common count.
    public let fleissKappa: Double?
    public let fleissItems: Int
    public let fleissRaters: Int
    /// Label index in the label set's order is the value for ordinal, interval and ratio.
    public let krippendorff: [KrippendorffAlpha.Level: Double]
    public let pairs: [PairAgreement]
    public let model: ModelAgreement?

    /// - Parameter minimumShared: pairs of people sharing fewer items are left out of Cohen's table.
    public init(store: any AnnotationStore, labels: LabelSet, minimumShared: Int = 2) throws {
        self.labels = labels
        let team = try TeamLabels(store: store, labels: labels)
        let crowd = team.crowd
        itemCount = crowd.itemCount
        annotatorCount = crowd.annotatorCount
        labelCount = crowd.labels.count

        var raterCounts = Array(repeating: 0, count: crowd.itemCount)
        for label in crowd.labels { raterCounts[label.item] += 1 }
        let histogram = Dictionary(grouping: raterCounts.filter { $0 >= 2 }, by: { $0 }).mapValues(\.count)
        if let (raters, _) = histogram.max(by: { $0.value == $1.value ? $0.key > $1.key : $0.value < $1.value }) {
            let chosen = crowd.labels.filter { raterCounts[$0.item] == raters }
            fleissKappa = try? FleissKappa.score(chosen, classCount: labels.count)
            fleissItems = histogram[raters] ?? 0
            fleissRaters = raters
        } else {
            fleissKappa = nil
            fleissItems = 0
            fleissRaters = 0
        }
        var alphas: [KrippendorffAlpha.Level: Double] = [:]
        if crowd.labels.count >= 2 {
            for level in KrippendorffAlpha.Level.allCases {
                alphas[level] = try? KrippendorffAlpha.alpha(crowd.labels, level: level, classCount: labels.count)
            }
        }
        krippendorff = alphas

        var byAnnotator: [Int: [Int: Int]] = [:]
        for label in crowd.labels { byAnnotator[label.annotator, default: [:]][label.item] = label.label }
        var pairs: [PairAgreement] = []
        for pair in PairwiseAgreement.annotatorPairs(crowd.labels) where pair.sharedItems >= minimumShared {
            let firstLabels = byAnnotator[pair.first] ?? [:]
            let secondLabels = byAnnotator[pair.second] ?? [:]
            let shared = firstLabels.keys.filter { secondLabels[$0] != nil }.sorted()
            let a = shared.map { firstLabels[$0]! }
            let b = shared.map { secondLabels[$0]! }
            let classes = Array(0..<labels.count)
            pairs.append(PairAgreement(
                first: crowd.annotatorIDs[pair.first], second: crowd.annotatorIDs[pair.second], sharedItems: shared.count,
                percentAgreement: pair.rate,
                kappa: (try? CohenKappa.score(a, b, weighting: .unweighted, labels: classes)) ?? .nan,
                linearKappa: (try? CohenKappa.score(a, b, weighting: .linear, labels: classes)) ?? .nan,
                quadraticKappa: (try? CohenKappa.score(a, b, weighting: .quadratic, labels: classes)) ?? .nan))
        }
        self.pairs = pairs.sorted { ($0.sharedItems, $1.first, $1.second) > ($1.sharedItems, $0.first, $0.second) }

        let finals = try store.finalLabels().filter { $0.value.kind != .auto }
        var modelLabels: [String] = []
        var peopleLabels: [String] = []
        for prediction in try store.allLatestPredictions(model: nil) where prediction.source != .imported {
            guard prediction.isValid, let label = prediction.label, let final = finals[prediction.itemId]?.label else { continue }
            modelLabels.append(label)
            peopleLabels.append(final)
        }
        if !modelLabels.isEmpty, let confusion = try? ConfusionMatrix(modelLabels, peopleLabels, labels: labels.names),
           let scored = try? ConfusionMatrix(peopleLabels, modelLabels, labels: labels.names) {
            let indices = labels.names
            let a = modelLabels.compactMap { indices.firstIndex(of: $0) }
            let b = peopleLabels.compactMap { indices.firstIndex(of: $0) }
            model = ModelAgreement(items: modelLabels.count, percentAgreement: confusion.percentAgreement,
                                   kappa: (try? CohenKappa.score(a, b, labels: Array(0..<labels.count))) ?? .nan,
                                   confusion: confusion, perLabel: scored.perLabel)
        } else {
            model = nil
        }
    }

    /// Three decimals right-aligned in `width`, or "—" for a figure that is undefined (0/0).
    static func fixed(_ value: Double, width: Int) -> String {
        let text = value.isFinite ? DecimalFormat.fixed(value, places: 3) : "—"
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    public func render(maxPairs: Int = 10) -> String {
        func number(_ value: Double?) -> String {
            guard let value, value.isFinite else { return "—" }
            return DecimalFormat.fixed(value, places: 6)
        }
        var out = "Agreement over \(counted(itemCount, "item")), \(counted(annotatorCount, "annotator")), \(counted(labelCount, "label"))\n\n"
        if fleissKappa != nil {
            out += "Fleiss' kappa          \(number(fleissKappa))   (\(fleissItems) items with \(fleissRaters) raters each)\n"
        } else {
            out += "Fleiss' kappa          —   (no item has two or more raters)\n"
        }
        for level in KrippendorffAlpha.Level.allCases {
            let name = "Krippendorff's alpha, \(level.rawValue)".padding(toLength: 34, withPad: " ", startingAt: 0)
            out += "\(name) \(number(krippendorff[level]))\n"
        }
        out += "(ordinal, interval and ratio take the labels' order in annotty.toml as their values)\n"
        if !pairs.isEmpty {
            out += "\nCohen's kappa by pair (\(pairs.count) pairs; the \(min(maxPairs, pairs.count)) with most shared items)\n"
            out += "first                second               shared  agree   kappa   linear  quadratic\n"
            for pair in pairs.prefix(maxPairs) {
                out += TerminalSafeText.singleLine(pair.first, limit: 20).padding(toLength: 21, withPad: " ", startingAt: 0)
                out += TerminalSafeText.singleLine(pair.second, limit: 20).padding(toLength: 21, withPad: " ", startingAt: 0)
                out += String(repeating: " ", count: max(0, 6 - String(pair.sharedItems).count)) + String(pair.sharedItems)
                out += "  " + Self.fixed(pair.percentAgreement, width: 5) + "  " + Self.fixed(pair.kappa, width: 6)
                out += "  " + Self.fixed(pair.linearKappa, width: 6) + "  " + Self.fixed(pair.quadraticKappa, width: 9) + "\n"
            }
        }
        if let model {
            out += "\nLLM against people: \(model.items) items, agreement \(Self.fixed(model.percentAgreement, width: 0)), "
            out += "Cohen's kappa \(Self.fixed(model.kappa, width: 0))\n"
            out += "confusion (rows: LLM label, columns: people's final label)\n"
            let width = max(10, (labels.names.map(\.count).max() ?? 8) + 2)
            out += "".padding(toLength: width, withPad: " ", startingAt: 0)
                + model.confusion.labels.map { $0.padding(toLength: width, withPad: " ", startingAt: 0) }.joined() + "\n"
            for (row, name) in model.confusion.labels.enumerated() {
                out += name.padding(toLength: width, withPad: " ", startingAt: 0)
                out += model.confusion.counts[row].map { String($0).padding(toLength: width, withPad: " ", startingAt: 0) }.joined() + "\n"
            }
            out += "per label (the LLM scored against people)  precision  recall  f1\n"
            out += "  precision: of the items the LLM gave this label, the share people agreed with\n"
            out += "  recall: of the items people gave this label, the share the LLM gave it too\n"
            out += "  (— where a figure is undefined)\n"
            for entry in model.perLabel {
                out += entry.label.padding(toLength: 43, withPad: " ", startingAt: 0)
                out += Self.fixed(entry.precision, width: 9) + "  " + Self.fixed(entry.recall, width: 6)
                    + "  " + Self.fixed(entry.f1, width: 5) + "\n"
            }
        }
        return out
    }
}
